using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Nuage.Server.Git;

/// <summary>
/// Runs a CGI program (RFC 3875) for one request: the request body streams into its stdin, its header block
/// (<c>Status:</c>, <c>Content-Type:</c> …) becomes the response head, and the rest of its stdout streams out as it comes.
/// </summary>
internal static class CgiBridge
{
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Runs <paramref name="program"/> with <paramref name="variables"/> added to the server's environment (null removes one).</summary>
    public static async Task<CgiResult> RunAsync(HttpContext http, string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> variables, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} could not be started.");
        using var kill = cancellationToken.Register(() => Kill(process));
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var input = FeedAsync(http.Request.Body, process.StandardInput.BaseStream, cancellationToken);

        var stdout = process.StandardOutput.BaseStream;
        var (head, rest) = await ReadHeadAsync(stdout, cancellationToken);
        if (head is null)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            await IgnoreFailureAsync(input);
            return new CgiResult(process.ExitCode, await stderr, HeadersSent: false);
        }

        ApplyHead(http.Response, head);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.StartAsync(cancellationToken);
        if (rest.Length > 0)
        {
            await http.Response.Body.WriteAsync(rest, cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }

        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stdout.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        await IgnoreFailureAsync(input);
        return new CgiResult(process.ExitCode, await stderr, HeadersSent: true);
    }

    /// <summary>Parses a CGI header block; <c>Status: 403 Forbidden</c> sets the status, every other line is a response header.</summary>
    internal static void ApplyHead(HttpResponse response, string head)
    {
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var raw in head.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                var code = value.Split(' ', 2)[0];
                response.StatusCode = int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : StatusCodes.Status502BadGateway;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }
    }

    /// <summary>Reads stdout up to the blank line ending the CGI head; null when the program wrote no complete head.</summary>
    private static async Task<(string? Head, ReadOnlyMemory<byte> Body)> ReadHeadAsync(Stream stdout, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stdout.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return (null, ReadOnlyMemory<byte>.Empty);
            }

            filled += read;
            var (end, separator) = FindBlankLine(buffer.AsSpan(0, filled));
            if (end >= 0)
            {
                return (Encoding.Latin1.GetString(buffer, 0, end), buffer.AsMemory(end + separator, filled - end - separator));
            }
        }

        return (null, ReadOnlyMemory<byte>.Empty);
    }

    private static (int Index, int Length) FindBlankLine(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            ( >= 0, >= 0) => crlf < lf ? (crlf, 4) : (lf, 2),
            ( >= 0, _) => (crlf, 4),
            (_, >= 0) => (lf, 2),
            _ => (-1, 0),
        };
    }

    private static async Task FeedAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken);
        }
        finally
        {
            await stdin.DisposeAsync();
        }
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (IOException)
        {
            // The program exited without reading all of the body (e.g. it refused the request): nothing to feed.
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}

/// <summary>How a CGI run ended: exit code, stderr, and whether a response head was sent.</summary>
internal sealed record CgiResult(int ExitCode, string Error, bool HeadersSent);

using System.Net;
using System.Net.Sockets;
using System.Text;
using Nuage.Cli.Client;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary>
/// The loopback redirect of a browser sign-in (RFC 8252 §7.3): a one-purpose HTTP listener on 127.0.0.1 at an
/// ephemeral port that waits for the issuer's redirect to <c>/callback</c>, hands its query to the caller and answers
/// the browser with the outcome. Requests for other paths, or whose state is not this sign-in's, are answered and
/// ignored (another local process cannot end the sign-in by guessing the port).
/// </summary>
internal sealed class LoopbackCallback : IDisposable
{
    public const string Path = "/callback";
    private const int MaxHeadBytes = 16 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public LoopbackCallback()
    {
        _listener.Start();
    }

    public string RedirectUri => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{Path}";

    /// <summary>
    /// Waits for the callback carrying <paramref name="state"/>; <paramref name="complete"/> turns its query into the
    /// sentence the browser shows (or throws, and the browser is told the sign-in failed).
    /// </summary>
    public async Task<T> WaitAsync<T>(string state, Func<IReadOnlyDictionary<string, string>, Task<(T Result, string Page)>> complete, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var connection = await _listener.AcceptTcpClientAsync(cancellationToken);
            await using var stream = connection.GetStream();
            var target = await ReadTargetAsync(stream, cancellationToken);
            if (target is null || !target.StartsWith(Path, StringComparison.Ordinal) || (target.Length > Path.Length && target[Path.Length] != '?'))
            {
                await AnswerAsync(stream, 404, "Not found.", cancellationToken);
                continue;
            }

            var query = ParseQuery(target.Length > Path.Length ? target[(Path.Length + 1)..] : string.Empty);
            if (!query.TryGetValue("state", out var presented) || presented != state)
            {
                await AnswerAsync(stream, 400, "This callback does not belong to the sign-in under way; it was ignored.", cancellationToken);
                continue;
            }

            try
            {
                var (result, page) = await complete(query);
                await AnswerAsync(stream, 200, page, cancellationToken);
                return result;
            }
            catch (Exception e) when (e is ApiException or CliException)
            {
                await AnswerAsync(stream, 400, "Sign-in failed: " + e.Message, cancellationToken);
                throw;
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>name=value pairs of a query (form-encoded: '+' is a space); the first of a repeated name wins.</summary>
    private static Dictionary<string, string> ParseQuery(string query)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? part : part[..equals]);
            pairs.TryAdd(name, equals < 0 ? string.Empty : Decode(part[(equals + 1)..]));
        }

        return pairs;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>The request target of the first line (<c>GET /callback?… HTTP/1.1</c>), or null when it is not a GET.</summary>
    private static async Task<string?> ReadTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
            if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer, 0, read);
        var line = head.Split("\r\n", 2)[0].Split(' ');
        return line.Length == 3 && line[0] == "GET" ? line[1] : null;
    }

    private static async Task AnswerAsync(NetworkStream stream, int status, string message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nuage sign-in</title></head><body><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {(status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request")}\r\nContent-Type: text/html; charset=utf-8\r\n" +
            $"Content-Length: {body.Length}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
    }
}

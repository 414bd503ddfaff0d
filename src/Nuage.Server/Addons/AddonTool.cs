using System.Diagnostics;
using Nuage.Core.Errors;

namespace Nuage.Server.Addons;

/// <summary>What a client program printed and how it exited (stdout is empty when it went to a file).</summary>
internal sealed record AddonToolResult(int ExitCode, string Output, string Errors)
{
    /// <summary>The last lines of stderr, as error messages quote them.</summary>
    public string LastErrorLines => string.Join('\n', Errors.Trim().Split('\n').TakeLast(6));
}

/// <summary>Runs a database client (pg_dump, mariadb, redis-cli…) on the host against an add-on; the password goes in its environment only.</summary>
internal static class AddonTool
{
    public static async Task RunAsync(
        string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string? stdinFile, string? stdoutFile, CancellationToken cancellationToken)
    {
        var result = await RunCapturedAsync(file, args, env, stdinFile, stdoutFile, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.AddonBackupFailed,
                $"{Path.GetFileName(file)} failed with exit code {result.ExitCode}: {result.LastErrorLines}");
        }
    }

    /// <summary>Runs the program and returns its exit code, stdout and stderr without judging them (only a missing program throws).</summary>
    public static async Task<AddonToolResult> RunCapturedAsync(
        string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string? stdinFile, string? stdoutFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = stdinFile is not null,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.AddonBackupFailed, $"Could not run {file}: {e.Message} (is its Debian package installed?)");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var copyOut = stdoutFile is not null
                ? CopyOutAsync(process, stdoutFile, cancellationToken)
                : process.StandardOutput.ReadToEndAsync(cancellationToken);

            if (stdinFile is not null)
            {
                await using (var input = File.OpenRead(stdinFile))
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                }

                process.StandardInput.Close();
            }

            var output = await copyOut;
            var errors = await stderr;
            await process.WaitForExitAsync(cancellationToken);
            return new AddonToolResult(process.ExitCode, output, errors);
        }
    }

    private static async Task<string> CopyOutAsync(Process process, string stdoutFile, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(stdoutFile, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        return string.Empty;
    }
}

/// <summary>
/// Runs a program that reads tenant content (a dump file to parse) without root's rights: when the server is root, through
/// setpriv as nobody with no supplementary groups and no new privileges; the program gets the file on stdin and writes to
/// stdout, so it needs no access to the server's folders. Unprivileged servers run it as themselves.
/// </summary>
internal static class Unprivileged
{
    public const int Nobody = 65534;

    private const string SetPriv = "/usr/bin/setpriv";

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The program to start and its arguments: setpriv dropping to nobody, then <paramref name="program"/>, when the server is root.</summary>
    public static (string File, string[] Args) Command(string program, params string[] args)
    {
        if (!IsRoot)
        {
            return (program, args);
        }

        var nobody = Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (SetPriv, ["--reuid=" + nobody, "--regid=" + nobody, "--clear-groups", "--no-new-privs", program, .. args]);
    }
}

using System.Diagnostics;
using Nuage.Core.Errors;

namespace Nuage.Server.Addons;

/// <summary>Runs a database client (pg_dump, mariadb, redis-cli…) on the host against an add-on; the password goes in its environment only.</summary>
internal static class AddonTool
{
    public static async Task RunAsync(
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
            Task copyOut;
            if (stdoutFile is not null)
            {
                copyOut = CopyOutAsync(process, stdoutFile, cancellationToken);
            }
            else
            {
                copyOut = process.StandardOutput.ReadToEndAsync(cancellationToken);
            }

            if (stdinFile is not null)
            {
                await using (var input = File.OpenRead(stdinFile))
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                }

                process.StandardInput.Close();
            }

            await copyOut;
            var errors = await stderr;
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new NuageException(ErrorKind.Failed, ErrorCodes.AddonBackupFailed,
                    $"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {string.Join('\n', errors.Trim().Split('\n').TakeLast(6))}");
            }
        }
    }

    private static async Task CopyOutAsync(Process process, string stdoutFile, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(stdoutFile, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
    }
}

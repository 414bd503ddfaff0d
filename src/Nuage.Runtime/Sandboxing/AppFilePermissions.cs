using System.Diagnostics;
using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Runtime.Sandboxing;

/// <summary>
/// Makes an app's files usable by its uid when the server runs as root:
/// the release stays owned by root and becomes group <c>uid</c> with g+rX and no access for others
/// (the app can read it, never change it, and other apps cannot read it even outside the sandbox);
/// the data directory is owned by the app (uid:uid, mode 0700).
/// </summary>
internal static class AppFilePermissions
{
    public static async Task ApplyAsync(string releaseDirectory, string dataDirectory, int uid, CancellationToken cancellationToken)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        await RunAsync("chown", ["-R", "--no-dereference", $"0:{id}", releaseDirectory], cancellationToken).ConfigureAwait(false);
        await RunAsync("chmod", ["-R", "g+rX,g-w,o-rwx", releaseDirectory], cancellationToken).ConfigureAwait(false);
        await RunAsync("chown", ["-R", "--no-dereference", $"{id}:{id}", dataDirectory], cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local scheduler runs on Linux only.");
        }

        File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Makes a folder the app's own (uid:uid, recursive) so its build can write there.</summary>
    public static Task GiveToAppAsync(string directory, int uid, CancellationToken cancellationToken)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return RunAsync("chown", ["-R", "--no-dereference", $"{id}:{id}", directory], cancellationToken);
    }

    private static async Task RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(SandboxProbe.FindExecutable(tool) ?? tool)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new NuageException(
                ErrorKind.Failed,
                ErrorCodes.InstancePermissionsFailed,
                $"Could not give the app's uid access to its files ({tool} {string.Join(' ', args)}): {stderr.Trim()}");
        }
    }
}

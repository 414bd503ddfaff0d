using System.Diagnostics;
using Nuage.Runtime.Cgroups;
using Nuage.Runtime.Scheduling;

namespace Nuage.Runtime.Sandboxing;

/// <summary>Checks that bubblewrap really runs here (not only that it is installed) and which cgroup hierarchy exists.</summary>
internal static class SandboxProbe
{
    public static async Task<SandboxCapabilities> ProbeAsync(LocalSchedulerOptions options, CancellationToken cancellationToken)
    {
        var bwrap = FindExecutable(options.BwrapPath);
        string? bwrapProblem = null;
        if (bwrap is null)
        {
            bwrapProblem = $"bubblewrap was not found at '{options.BwrapPath}' (install it with 'apt-get install bubblewrap').";
        }
        else if (await TryRunAsync(bwrap, ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--", "/bin/true"], cancellationToken).ConfigureAwait(false) is { } error)
        {
            bwrapProblem = $"bubblewrap at '{bwrap}' cannot create a sandbox here: {error}";
            bwrap = null;
        }

        var cgroups = CgroupDetector.Detect(options.CgroupRoot, options.CgroupName);
        var cgroupProblem = cgroups is null
            ? $"no usable cgroup hierarchy with the memory, cpu and pids controllers under '{options.CgroupRoot}'."
            : null;
        if (cgroups is not null && !CanWrite(options.CgroupRoot, cgroups))
        {
            cgroupProblem = $"the cgroup hierarchy under '{options.CgroupRoot}' is not writable by this user (run the server as root or delegate a cgroup).";
            cgroups = null;
        }

        return new SandboxCapabilities(
            bwrap,
            bwrapProblem,
            cgroups,
            cgroupProblem,
            Environment.IsPrivilegedProcess,
            FindExecutable("setpriv") ?? "/usr/bin/setpriv",
            FindExecutable("setsid") ?? "/usr/bin/setsid");
    }

    /// <summary>An absolute path is taken as is; a bare name is looked up in PATH.</summary>
    internal static string? FindExecutable(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? Core.Paths.SystemPath.Value;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    private static bool CanWrite(string root, CgroupDriver driver)
    {
        var probe = driver.Version == "v2" ? root : Path.Combine(root, "memory");
        var name = Path.Combine(probe, $"nuage-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(name);
            Directory.Delete(name);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<string?> TryRunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? null : $"exit code {process.ExitCode}: {stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nuage.Core.Variables;

public sealed partial class HostVersions
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static HostVersions? s_detected;

    [GeneratedRegex(@"\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.\-]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^(php\d+\.\d+|python3\.\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionedExecutable();

    /// <summary>
    /// Detects installed php, node, python3, go and dotnet by running them (<c>--version</c> and friends).
    /// Side-by-side Debian builds found on PATH (<c>php8.2</c>, <c>python3.11</c>) count as versions too.
    /// A missing tool simply has no versions. Detected once per process: a process hosting several servers (the tests) pays
    /// once, and an operator who installs a tool restarts the server anyway.
    /// </summary>
    public static async Task<HostVersions> DetectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return s_detected ??= await ProbeAsync(cancellationToken);
    }

    private static async Task<HostVersions> ProbeAsync(CancellationToken cancellationToken)
    {
        var probes = new List<(string Tool, string Executable, string[] Args)>
        {
            (HostTools.Php, "php", ["--version"]),
            (HostTools.Node, "node", ["--version"]),
            (HostTools.Python, "python3", ["--version"]),
            (HostTools.Go, "go", ["version"]),
        };
        foreach (var executable in VersionedExecutablesOnPath())
        {
            probes.Add((executable.StartsWith("php", StringComparison.Ordinal) ? HostTools.Php : HostTools.Python, executable, ["--version"]));
        }

        // All at once: version managers' shims (pyenv's python3.N) take a second or more each, and a server waits for this at start.
        var outputs = probes.Select(p => RunAsync(p.Executable, p.Args, cancellationToken)).ToList();
        var dotnet = RunAsync("dotnet", ["--list-runtimes"], cancellationToken);
        var found = new List<HostTool>();
        for (var i = 0; i < probes.Count; i++)
        {
            if (await outputs[i] is { } output && ParseVersion(output) is { } version)
            {
                found.Add(new HostTool(probes[i].Tool, version, probes[i].Executable));
            }
        }

        if (await dotnet is { } runtimes)
        {
            found.AddRange(ParseDotnetRuntimes(runtimes).Select(v => new HostTool(HostTools.Dotnet, v, "dotnet")));
        }

        return new HostVersions(found);
    }

    /// <summary>The first version number in a tool's <c>--version</c> output ("v20.11.1", "Python 3.11.2", "go1.22.1").</summary>
    internal static string? ParseVersion(string output)
    {
        var match = VersionPattern().Match(output);
        return match.Success ? match.Value : null;
    }

    /// <summary>Versions of Microsoft.NETCore.App in <c>dotnet --list-runtimes</c> output.</summary>
    internal static IEnumerable<string> ParseDotnetRuntimes(string output) =>
        output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 2 && parts[0] == "Microsoft.NETCore.App")
            .Select(parts => parts[1]);

    private static IEnumerable<string> VersionedExecutablesOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir).Select(Path.GetFileName))
            .OfType<string>()
            .Where(name => VersionedExecutable().IsMatch(name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
    }

    private static async Task<string?> RunAsync(string executable, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null; // not installed
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var text = await stdout + "\n" + await stderr;
            return process.ExitCode == 0 ? text : null;
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return null; // a tool that hangs on --version is treated as absent
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}

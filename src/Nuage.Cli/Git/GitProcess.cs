using System.Diagnostics;
using System.Text;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>Runs the <c>git</c> command line. Variables a git hook inherits (GIT_DIR …) are removed so every call names its repository.</summary>
internal static class GitProcess
{
    private static readonly string[] InheritedGitVariables =
        ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX", "GIT_QUARANTINE_PATH", "GIT_COMMON_DIR"];

    /// <summary>Runs git to completion and returns its exit code, stdout and stderr.</summary>
    public static Task<GitResult> RunAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken) =>
        RunAsync("git", workingDirectory, args, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs <paramref name="program"/> (git, or a wrapper that ends by running git) with extra environment variables.</summary>
    public static async Task<GitResult> RunAsync(
        string program, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var process = Start(workingDirectory, args, program, environment);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs git and returns stdout, or throws with git's own message when it fails.</summary>
    public static async Task<string> OutputAsync(string workingDirectory, IEnumerable<string> args, Func<string, string> describeFailure, CancellationToken cancellationToken)
    {
        var result = await RunAsync(workingDirectory, args, cancellationToken);
        return result.ExitCode == 0 ? result.Output : throw CliException.Invalid(describeFailure(result.Error.Trim()));
    }

    /// <summary>Starts git with stdout and stderr redirected; the caller reads them.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args, string program = "git", IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in InheritedGitVariables)
        {
            info.Environment.Remove(name);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        try
        {
            return Process.Start(info) ?? throw new CliException(ExitCodes.Failed, "git could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException(ExitCodes.Failed, $"git is not installed or not on PATH ({e.Message}); install it (apt-get install git).");
        }
    }
}

internal sealed record GitResult(int ExitCode, string Output, string Error);

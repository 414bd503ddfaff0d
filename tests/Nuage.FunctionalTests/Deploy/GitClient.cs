using System.Diagnostics;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>The real git command line, as a user runs it: no prompts, a fixed identity, bounded in time.</summary>
internal static class GitClient
{
    public static async Task<GitRun> RunAsync(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_ASKPASS"] = "";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "Test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', args)} did not finish in 5 minutes");
        }

        return new GitRun(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> OkAsync(string directory, params string[] args)
    {
        var run = await RunAsync(directory, args);
        Assert.True(run.ExitCode == 0, $"git {string.Join(' ', args)}: {run}");
        return run.Output;
    }

    /// <summary>The remote URL with the token as the Basic password (any user name works).</summary>
    public static string WithToken(string url, string token) => url.Replace("http://", $"http://nuage:{token}@", StringComparison.Ordinal);
}

internal sealed record GitRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

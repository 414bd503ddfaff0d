using System.Diagnostics;

namespace Nuage.Cli.Tests.Git;

/// <summary>A scratch directory with real git repositories, made with the real git command; removed afterwards.</summary>
internal sealed class TempGit : IDisposable
{
    public TempGit()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nuage-git-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A new repository with one commit holding <paramref name="files"/> (relative path → content).</summary>
    public string Repo(string name, params (string Path, string Content)[] files)
    {
        var dir = Path(name);
        Directory.CreateDirectory(dir);
        Run(dir, "init", "--quiet", "--initial-branch=main");
        Write(dir, files);
        Commit(dir, "initial " + name);
        return dir;
    }

    public static void Write(string repo, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(repo, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }

    public static string Commit(string repo, string message)
    {
        Run(repo, "add", "-A");
        Run(repo, "commit", "--quiet", "-m", message);
        return Run(repo, "rev-parse", "HEAD").Trim();
    }

    /// <summary>Adds <paramref name="source"/> as a submodule at <paramref name="path"/> (local file URLs allowed, as in a real checkout).</summary>
    public static void AddSubmodule(string repo, string source, string path) =>
        Run(repo, "-c", "protocol.file.allow=always", "submodule", "--quiet", "add", source, path);

    public static string Run(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "Test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {directory}: {stderr.Result}");
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

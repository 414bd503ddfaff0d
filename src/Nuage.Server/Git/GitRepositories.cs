using System.Diagnostics;
using Nuage.Core.Paths;

namespace Nuage.Server.Git;

/// <summary>
/// The bare repository behind each app's git remote, at <c>&lt;data&gt;/git/&lt;app-id&gt;.git</c>: created on first
/// access (<c>git init --bare</c>), its deploy hook (re)written so it always runs the current nuage binary.
/// </summary>
internal sealed class GitRepositories
{
    private readonly GitRemoteOptions _options;
    private readonly Lazy<string> _hook;

    public GitRepositories(NuagePaths paths, GitRemoteOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _options = options;
        Root = paths.GitRepositories;
        _hook = new Lazy<string>(() => DeployHook.Script(options.NuageCommand ?? NuageCommand.ResolveForThisProcess()));
    }

    /// <summary>GIT_PROJECT_ROOT: the directory holding every app's bare repository.</summary>
    public string Root { get; }

    public static string DirectoryName(string appId) => appId + ".git";

    public string PathOf(string appId) => Path.Combine(Root, DirectoryName(appId));

    /// <summary>The app's bare repository, created if missing, with the current deploy hook.</summary>
    public async Task<string> EnsureAsync(string appId, CancellationToken cancellationToken)
    {
        var path = PathOf(appId);
        if (!File.Exists(Path.Combine(path, "HEAD")))
        {
            await CreateAsync(path, cancellationToken);
        }

        var hook = Path.Combine(path, "hooks", DeployHook.FileName);
        if (!File.Exists(hook) || await File.ReadAllTextAsync(hook, cancellationToken) != _hook.Value)
        {
            var temp = hook + ".tmp-" + Environment.ProcessId;
            await File.WriteAllTextAsync(temp, _hook.Value, cancellationToken);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            File.Move(temp, hook, overwrite: true);
        }

        return path;
    }

    /// <summary>Removes the app's repository (when the app is deleted). Idempotent.</summary>
    public void Delete(string appId)
    {
        var path = PathOf(appId);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private async Task CreateAsync(string path, CancellationToken cancellationToken)
    {
        // Initialise beside the final path and move it in, so a concurrent first access never sees half a repository.
        Directory.CreateDirectory(Root);
        var temp = path + ".init-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await RunGitAsync(["init", "--bare", "--quiet", "--initial-branch=main", temp], cancellationToken);
            await RunGitAsync(["--git-dir", temp, "config", "http.receivepack", "true"], cancellationToken);
            Directory.Move(temp, path);
        }
        catch (IOException) when (File.Exists(Path.Combine(path, "HEAD")))
        {
            // Another request created it first.
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private async Task RunGitAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_options.Git) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{_options.Git} could not be started.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', info.ArgumentList)} failed: {(await stderr).Trim()}");
        }
    }
}

using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>A git repository to pack from: a work tree (with its .git) or a bare repository (a push remote).</summary>
internal sealed record GitRepository(string GitDir, string? WorkTree)
{
    /// <summary>The work tree containing <paramref name="directory"/>; exit 2 with the reason outside one.</summary>
    public static async Task<GitRepository> OpenWorkTreeAsync(string directory, CancellationToken cancellationToken)
    {
        var result = await GitProcess.RunAsync(directory, ["rev-parse", "--show-toplevel", "--absolute-git-dir"], cancellationToken);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode != 0 || lines.Length < 2)
        {
            throw CliException.Invalid(
                $"{directory} is not inside a git work tree ({result.Error.Trim()}). 'nuage deploy' sends a commit of your repository: "
                + "run it in your app's git work tree (git init && git add -A && git commit), or use 'git push'.");
        }

        return new GitRepository(lines[1], lines[0]);
    }

    /// <summary>A bare repository, e.g. the remote a push arrived in.</summary>
    public static async Task<GitRepository> OpenBareAsync(string gitDir, CancellationToken cancellationToken)
    {
        var result = await GitProcess.RunAsync(gitDir, ["--git-dir", gitDir, "rev-parse", "--absolute-git-dir"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw CliException.Invalid($"--git-dir: {gitDir} is not a git repository ({result.Error.Trim()}).");
        }

        return new GitRepository(result.Output.Trim(), null);
    }

    /// <summary>Resolves a revision (branch, tag, sha, HEAD~1 …) to a commit id and its subject line.</summary>
    public async Task<GitCommit> ResolveAsync(string revision, CancellationToken cancellationToken)
    {
        var id = (await GitProcess.OutputAsync(
            GitDir,
            Git("rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"),
            error => $"--commit: \"{revision}\" is not a commit in {WorkTree ?? GitDir}{(error.Length > 0 ? $" ({error})" : "")}; give a branch, tag or commit id (default HEAD, which needs at least one commit).",
            cancellationToken)).Trim();
        var subject = await GitProcess.OutputAsync(GitDir, Git("log", "-1", "--format=%s", id), error => $"git log failed: {error}", cancellationToken);
        return new GitCommit(id, subject.Trim());
    }

    /// <summary>Whether the repository has the commit's objects (a submodule clone may be behind).</summary>
    public async Task<bool> HasCommitAsync(string id, CancellationToken cancellationToken) =>
        (await GitProcess.RunAsync(GitDir, Git("cat-file", "-e", id + "^{commit}"), cancellationToken)).ExitCode == 0;

    /// <summary>Arguments of a git call on this repository.</summary>
    public string[] Git(params string[] args) => ["--git-dir", GitDir, .. args];
}

/// <summary>A resolved commit: full id and subject line.</summary>
internal sealed record GitCommit(string Id, string Subject)
{
    public string Short => Id.Length > 7 ? Id[..7] : Id;
}

namespace Nuage.Cli.Git;

/// <summary>
/// Finds the repository holding a submodule's commit: its checkout in the work tree, else its git dir under
/// <c>.git/modules/NAME</c>; for a bare (pushed-to) repository, a clone of the submodule's absolute URL kept there.
/// </summary>
internal static class SubmoduleLocator
{
    public static async Task<GitRepository?> FindAsync(GitRepository parent, SubmoduleConfig module, string commit, CancellationToken cancellationToken)
    {
        if (parent.WorkTree is { } workTree)
        {
            var checkout = Path.Combine(workTree, module.Path);
            if (Path.Exists(Path.Combine(checkout, ".git")))
            {
                var repository = await GitRepository.OpenWorkTreeAsync(checkout, cancellationToken);
                if (await repository.HasCommitAsync(commit, cancellationToken))
                {
                    return repository;
                }
            }
        }

        var modules = Path.Combine(parent.GitDir, "modules", module.Name);
        if (Directory.Exists(modules))
        {
            var repository = new GitRepository(modules, null);
            if (await repository.HasCommitAsync(commit, cancellationToken))
            {
                return repository;
            }
        }

        return parent.WorkTree is null && IsAbsolute(module.Url)
            ? await FetchAsync(modules, module.Url!, commit, cancellationToken)
            : null;
    }

    /// <summary>A push brings no submodule objects: fetch them from the submodule's URL into the remote's modules dir.</summary>
    private static async Task<GitRepository?> FetchAsync(string modules, string url, string commit, CancellationToken cancellationToken)
    {
        var args = Directory.Exists(modules)
            ? new[] { "--git-dir", modules, "fetch", "--quiet", "--", url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*" }
            : ["clone", "--bare", "--quiet", "--", url, modules];
        var parentDir = Directory.CreateDirectory(Path.GetDirectoryName(modules)!).FullName;
        var result = await GitProcess.RunAsync(parentDir, args, cancellationToken);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var repository = new GitRepository(modules, null);
        return await repository.HasCommitAsync(commit, cancellationToken) ? repository : null;
    }

    private static bool IsAbsolute(string? url) =>
        url is { Length: > 0 } && (url.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(url));
}

namespace Nuage.Cli.Git;

/// <summary>
/// Finds the repository holding a submodule's commit: its checkout in the work tree, else its git dir under
/// <c>.git/modules/NAME</c>; for a bare (pushed-to) repository, a fresh fetch of its URL when the
/// <see cref="SubmodulePolicy"/> accepts it (<see cref="SubmoduleFetcher"/>). Names and paths are validated first.
/// </summary>
internal static class SubmoduleLocator
{
    public static async Task<GitRepository?> FindAsync(GitRepository parent, SubmoduleConfig module, string commit, SubmoduleFetcher fetcher, CancellationToken cancellationToken)
    {
        module.Validate();
        if (parent.WorkTree is not { } workTree)
        {
            return await fetcher.FetchAsync(module, commit, cancellationToken);
        }

        var checkout = Path.Combine(workTree, module.Path);
        if (Path.Exists(Path.Combine(checkout, ".git")))
        {
            var repository = await GitRepository.OpenWorkTreeAsync(checkout, cancellationToken);
            if (await repository.HasCommitAsync(commit, cancellationToken))
            {
                return repository;
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

        return null;
    }
}

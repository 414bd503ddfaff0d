using Nuage.Cli.Hosting;
using Nuage.Core.Variables;

namespace Nuage.Cli.Git;

/// <summary>One <c>git archive</c> to run: the repository, the commit, and where its files go in the combined tar.</summary>
internal sealed record ArchivePart(GitRepository Repository, string Commit, string Prefix);

/// <summary>
/// Everything a deployment's tar holds: the commit itself, then each submodule (recursively) at the commit the
/// superproject records. Planned before the upload starts so a missing submodule fails with a clear message, not a cut stream.
/// Dispose it once the archive is written: submodules fetched for a push live in temporary folders until then.
/// </summary>
internal sealed record ArchivePlan(IReadOnlyList<ArchivePart> Parts) : IDisposable
{
    private const string GitlinkType = "commit";

    private SubmoduleFetcher? Fetcher { get; init; }

    /// <param name="policy">Which URLs a bare repository's submodules may be fetched from; default none.</param>
    public static async Task<ArchivePlan> CreateAsync(
        GitRepository repository, string commit, bool includeSubmodules, CancellationToken cancellationToken, SubmodulePolicy? policy = null)
    {
        var parts = new List<ArchivePart> { new(repository, commit, "") };
        var fetcher = new SubmoduleFetcher(policy ?? SubmodulePolicy.None);
        try
        {
            if (includeSubmodules)
            {
                await AddSubmodulesAsync(parts, repository, commit, "", depth: 0, fetcher, cancellationToken);
            }

            return new ArchivePlan(parts) { Fetcher = fetcher };
        }
        catch
        {
            fetcher.Dispose();
            throw;
        }
    }

    public void Dispose() => Fetcher?.Dispose();

    private static async Task AddSubmodulesAsync(
        List<ArchivePart> parts, GitRepository repository, string commit, string prefix, int depth, SubmoduleFetcher fetcher, CancellationToken cancellationToken)
    {
        if (depth > 16)
        {
            throw CliException.Invalid($"Submodules nest more than 16 levels deep under {prefix}; set {KnownVariables.DisableGitSubmodules.Name}=true to deploy without them.");
        }

        var gitlinks = await GitlinksAsync(repository, commit, cancellationToken);
        if (gitlinks.Count == 0)
        {
            return;
        }

        var modules = await SubmoduleConfig.ReadAsync(repository, commit, cancellationToken);
        foreach (var (path, id) in gitlinks)
        {
            var module = modules.FirstOrDefault(m => m.Path == path) ?? new SubmoduleConfig(path, path, null);
            var sub = await SubmoduleLocator.FindAsync(repository, module, id, fetcher, cancellationToken)
                ?? throw CliException.Invalid(
                    $"Submodule {prefix}{path} (commit {id[..7]}) is not available here: run 'git submodule update --init --recursive' in {repository.WorkTree ?? repository.GitDir}, "
                    + $"or set {KnownVariables.DisableGitSubmodules.Name}=true on the app to deploy without submodules.");
            var subPrefix = prefix + path + "/";
            parts.Add(new ArchivePart(sub, id, subPrefix));
            await AddSubmodulesAsync(parts, sub, id, subPrefix, depth + 1, fetcher, cancellationToken);
        }
    }

    /// <summary>Gitlink entries (submodule commits) recorded in the commit's tree, as (path, commit id).</summary>
    private static async Task<List<(string Path, string Id)>> GitlinksAsync(GitRepository repository, string commit, CancellationToken cancellationToken)
    {
        var tree = await GitProcess.OutputAsync(
            repository.GitDir, repository.Git("ls-tree", "-r", "-z", "--full-tree", commit), error => $"git ls-tree failed: {error}", cancellationToken);
        var links = new List<(string, string)>();
        foreach (var entry in tree.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <type> <object>\t<path>"
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var fields = entry[..tab].Split(' ');
            if (fields.Length == 3 && fields[1] == GitlinkType)
            {
                links.Add((entry[(tab + 1)..], fields[2]));
            }
        }

        return links;
    }
}

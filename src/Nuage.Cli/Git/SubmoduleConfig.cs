namespace Nuage.Cli.Git;

/// <summary>A submodule as <c>.gitmodules</c> declares it in a given commit.</summary>
internal sealed record SubmoduleConfig(string Name, string Path, string? Url)
{
    public static async Task<IReadOnlyList<SubmoduleConfig>> ReadAsync(GitRepository repository, string commit, CancellationToken cancellationToken)
    {
        var result = await GitProcess.RunAsync(
            repository.GitDir,
            repository.Git("config", "-z", "--blob", commit + ":.gitmodules", "--get-regexp", @"^submodule\..*\.(path|url)$"),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            return []; // No .gitmodules (or no entries): gitlinks fall back to their path as name.
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "-z" prints "key\nvalue"; key is "submodule.<name>.path|url" and <name> may hold dots.
            var newline = item.IndexOf('\n', StringComparison.Ordinal);
            if (newline < 0)
            {
                continue;
            }

            var key = item[..newline];
            var value = item[(newline + 1)..];
            var lastDot = key.LastIndexOf('.');
            var name = key["submodule.".Length..lastDot];
            (key[(lastDot + 1)..] == "path" ? paths : urls)[name] = value;
        }

        return [.. paths.Select(p => new SubmoduleConfig(p.Key, p.Value, urls.GetValueOrDefault(p.Key)))];
    }
}

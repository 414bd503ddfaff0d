using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>A submodule as <c>.gitmodules</c> declares it in a given commit.</summary>
internal sealed record SubmoduleConfig(string Name, string Path, string? Url)
{
    /// <summary>
    /// Refuses a name or path that could leave the repository when used as a folder (the name picks
    /// <c>modules/&lt;name&gt;</c>, the path a folder of the work tree and of the release): empty, absolute, with a
    /// <c>..</c>, <c>.</c> or <c>.git</c> component, a backslash or a control character. Exit 2 naming the submodule and the value.
    /// </summary>
    public void Validate()
    {
        Check("name", Name);
        Check("path", Path);
    }

    private void Check(string field, string value)
    {
        var why = value.Length == 0 ? "it is empty"
            : value.StartsWith('/') ? "it is absolute"
            : value.Contains('\\', StringComparison.Ordinal) || value.Any(char.IsControl) ? "it holds a backslash or a control character"
            : value.Split('/').FirstOrDefault(c => c is "" or "." or ".." || c.TrimEnd('.', ' ').Equals(".git", StringComparison.OrdinalIgnoreCase)) is { } part
                ? $"it has a \"{part}\" component"
                : null;
        if (why is not null)
        {
            throw CliException.Invalid(
                $"Submodule \"{Name}\": {field} \"{value}\" is not accepted because {why}. "
                + "Accepted: a relative path inside the repository (e.g. vendor/lib) without \"..\", \".\", \".git\" or empty components.");
        }
    }

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

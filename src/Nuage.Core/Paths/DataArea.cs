namespace Nuage.Core.Paths;

/// <summary>
/// The parts of the data directory a full disk is reported against: a stable metric label (<see cref="Label"/>) and
/// the words users read (<see cref="Description"/>, relative to the data directory, never an absolute path).
/// </summary>
public sealed record DataArea(string Label, string Description)
{
    public static readonly DataArea StateDatabase = new("state_database", "the state database (nuage.db)");
    public static readonly DataArea LogStore = new("log_store", "the log store (logs/store)");
    public static readonly DataArea Releases = new("releases", "the releases (apps/<app>/releases)");
    public static readonly DataArea Uploads = new("uploads", "the uploads (uploads/)");
    public static readonly DataArea BuildCache = new("build_cache", "the build cache (apps/<app>/cache)");
    public static readonly DataArea Git = new("git", "the git repositories (git/)");
    public static readonly DataArea InstanceOutput = new("instance_output", "the instance output files (logs/apps)");
    public static readonly DataArea DataDirectory = new("data_directory", "the data directory");

    /// <summary>The area holding <paramref name="fullPath"/>, from its place under <see cref="NuagePaths.Root"/>.</summary>
    public static DataArea Of(NuagePaths paths, string fullPath)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var relative = Path.GetRelativePath(paths.Root, fullPath).Replace('\\', '/');
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return DataDirectory;
        }

        var parts = relative.Split('/');
        return parts switch
        {
            ["nuage.db" or "nuage.db-wal" or "nuage.db-shm" or "nuage.db-journal", ..] => StateDatabase,
            ["logs", "store", ..] => LogStore,
            ["logs", "apps", ..] => InstanceOutput,
            ["uploads", ..] => Uploads,
            ["git", ..] => Git,
            ["apps", _, "releases", ..] => Releases,
            ["apps", _, "cache", ..] => BuildCache,
            _ => DataDirectory,
        };
    }
}

namespace Nuage.Core.Paths;

/// <summary>
/// Every path under the data directory, derived in one place (docs/architecture.md, "On disk", lists them). Code never
/// combines the data directory with a literal folder name itself: add a member here instead.
/// </summary>
public sealed class NuagePaths
{
    public NuagePaths(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Database => Path.Combine(Root, "nuage.db");

    public string SecretKey => Path.Combine(Root, "secret.key");

    public string AdminToken => Path.Combine(Root, "admin-token");

    public string Apps => Path.Combine(Root, "apps");

    public string Logs => Path.Combine(Root, "logs");

    public string App(string appId) => Path.Combine(Apps, appId);

    public string Releases(string appId) => Path.Combine(App(appId), "releases");

    public string Release(string appId, string deploymentId) => Path.Combine(Releases(appId), deploymentId);

    public string Cache(string appId) => Path.Combine(App(appId), "cache");

    public string Data(string appId) => Path.Combine(App(appId), "data");

    /// <summary>Per-instance stdout/stderr files live here, outside the release, so they outlive the server.</summary>
    public string InstanceLogs(string appId) => Path.Combine(Logs, "apps", appId);

    public string InstanceOutput(string appId, string instanceId, string stream) =>
        Path.Combine(InstanceLogs(appId), $"{instanceId}.{stream}.log");

    public string LogStore => Path.Combine(Logs, "store");

    /// <summary>The scheduler's run files (instance status files, sandbox argument files).</summary>
    public string Run => Path.Combine(Root, "run");

    /// <summary>Uploaded source archives, kept only until their deployment has unpacked them.</summary>
    public string Uploads => Path.Combine(Root, "uploads");

    public string Upload(string deploymentId) => Path.Combine(Uploads, deploymentId + ".tar");

    /// <summary>The bare git repositories apps are pushed to (<c>git/&lt;app-id&gt;.git</c>).</summary>
    public string GitRepositories => Path.Combine(Root, "git");
}

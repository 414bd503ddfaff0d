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

    /// <summary>Add-ons (managed databases): <c>addons/&lt;addon-id&gt;/</c>.</summary>
    public string Addons => Path.Combine(Root, "addons");

    /// <summary>This machine's network configuration (BGP peers and prefixes): per machine, never in the shared state store.</summary>
    public string Network => Path.Combine(Root, "network");

    public string Addon(string addonId) => Path.Combine(Addons, addonId);

    /// <summary>The configuration Nuage writes for an add-on's server: root's, readable by the add-on's uid, mounted read-only.</summary>
    public string AddonConfig(string addonId) => Path.Combine(Addon(addonId), "conf");

    /// <summary>The add-on's database files: its uid's own (0700), the only folder its server can write.</summary>
    public string AddonData(string addonId) => Path.Combine(Addon(addonId), "data");

    /// <summary>Backups of an add-on (root's, 0700): never inside the add-on's sandbox.</summary>
    public string AddonBackups(string addonId) => Path.Combine(Addon(addonId), "backups");

    /// <summary>The <c>nuage router</c> process's folder (root only, 0700): control socket, last route snapshot.</summary>
    public string RouterRun => Path.Combine(Run, "router");

    /// <summary>The control socket the server sends route snapshots on (0600).</summary>
    public string RouterSocket => Path.Combine(RouterRun, "router.sock");

    /// <summary>The last snapshot the router applied, loaded when it starts alone.</summary>
    public string RouterSnapshotFileName => "routes.json";

    /// <summary>The router process's pid and start time, recorded by the server that started or adopted it.</summary>
    public string RouterPidFile => Path.Combine(RouterRun, "router.pid");

    /// <summary>The server epoch counter: one more at every server start, the first half of a snapshot's generation.</summary>
    public string RouterEpochFile => Path.Combine(RouterRun, "epoch");

    /// <summary>The router process's own log (stdout and stderr).</summary>
    public string RouterLog => Path.Combine(Logs, "router", "router.log");

    /// <summary>Access records the router process spools until the server ingests them (bounded).</summary>
    public string RouterSpool => Path.Combine(Logs, "router", "spool");
}

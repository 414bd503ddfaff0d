using System.Net;
using Nuage.Core.Errors;

namespace Nuage.Server.Hosting;

/// <summary>
/// Host settings of <c>nuage server</c>, composed in one place: the server's own and each library's options
/// (<see cref="Deployments"/>, <see cref="Mcp"/>, <see cref="Builds"/>, <see cref="Build"/>, <see cref="Logs"/>).
/// Every default lives in its options type; every option users may change has a <c>nuage server</c> flag
/// (src/Nuage/ServerFlags.cs), documented in docs/operations.md; <see cref="Validate"/> checks them all at once and
/// names the flag in each message.
/// </summary>
public sealed record NuageServerOptions
{
    public const string DefaultDataDirectory = ".nuage-data";
    public const string DefaultApi = "127.0.0.1:7070";
    public const string DefaultHttp = "0.0.0.0:8080";
    public const string DefaultDomain = "localhost";
    public const long DefaultMaxApiBodyBytes = 1024 * 1024;

    /// <summary>Data directory; relative paths resolve against the working directory.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>Listener of the REST API, as HOST:PORT (port 0 picks a free one).</summary>
    public string Api { get; init; } = DefaultApi;

    /// <summary>Listener of the router that serves apps, as HOST:PORT.</summary>
    public string Http { get; init; } = DefaultHttp;

    /// <summary>Listener of the router over HTTPS, as HOST:PORT (certificates per custom domain, chosen by SNI); null: no HTTPS.</summary>
    public string? Https { get; init; }

    /// <summary>
    /// Proxies (IP or CIDR) in front of the router whose X-Forwarded-* headers are kept; apps see them, with the
    /// router's own addresses, in <c>CC_REVERSE_PROXY_IPS</c>.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Apps answer at <c>&lt;app&gt;.&lt;domain&gt;</c>.</summary>
    public string Domain { get; init; } = DefaultDomain;

    /// <summary>Largest JSON body the API accepts (uploads have their own cap).</summary>
    public long MaxApiBodyBytes { get; init; } = DefaultMaxApiBodyBytes;

    /// <summary>
    /// How to run this nuage binary from a shell (static sites are served by <c>nuage serve-static</c>, in the app's sandbox).
    /// Set by the executable; tests point it at the built nuage.dll.
    /// </summary>
    public string SelfCommand { get; init; } = "nuage";

    /// <summary>Host paths every app sandbox may read besides the system (e.g. where this nuage binary lives, for static sites).</summary>
    public IReadOnlyList<string> SandboxReadOnlyPaths { get; init; } = [];

    /// <summary>Deployment queue, retention and timeouts.</summary>
    public Deployments.DeploymentOptions Deployments { get; init; } = new();

    /// <summary>The MCP endpoint at /mcp: rate limits, idempotency memory, allowed hosts.</summary>
    public Mcp.McpOptions Mcp { get; init; } = new();

    /// <summary>OpenID Connect issuers trusted for sign-in (docs/identity.md).</summary>
    public Oidc.OidcOptions Oidc { get; init; } = new();

    /// <summary>CPU, memory and process limits of every build step and run-time hook.</summary>
    public Runtime.Builds.BuildSandboxOptions Builds { get; init; } = new();

    /// <summary>How many uploads, and how many bytes of them, may wait on disk for their deployment.</summary>
    public Uploads.UploadLimits Uploads { get; init; } = new();

    /// <summary>The per-app git remotes: how the push hook runs nuage, which hosts submodules may come from.</summary>
    public Git.GitRemoteOptions Git { get; init; } = new();

    /// <summary>Upload caps (size, expanded size, entries).</summary>
    public Build.BuildOptions Build { get; init; } = new();

    /// <summary>Log retention (the store's directory comes from the data directory).</summary>
    public Nuage.Logs.Storage.LogStoreOptions Logs { get; init; } = new();

    /// <summary>Run apps without bubblewrap and cgroups. Only for machines that cannot sandbox; says so loudly.</summary>
    public bool InsecureNoSandbox { get; init; }

    /// <summary>
    /// Run apps on the host's network (127.0.0.1 ports) instead of a network namespace each: any app can then reach
    /// other apps' ports, the API and local services. Only for machines without network namespaces or nftables; says so loudly.
    /// </summary>
    public bool InsecureHostNetwork { get; init; }

    /// <summary>The private IPv4 range instance addresses come from (one /31 per instance); see docs/sandbox.md.</summary>
    public string NetworkPool { get; init; } = DefaultNetworkPool;

    public static string DefaultNetworkPool => Runtime.Scheduling.LocalSchedulerOptions.DefaultAddressPool;

    /// <summary>
    /// Let log drains send to private (RFC 1918, CGNAT, ULA) and loopback receivers, e.g. a collector on this machine or
    /// the LAN. Off by default: a drain is a request the platform makes on a developer's behalf. Link-local addresses and
    /// this server's own listeners stay refused.
    /// </summary>
    public bool AllowPrivateDrains { get; init; }

    /// <summary>How often each add-on's data size and connections are checked (the disk quota is enforced then).</summary>
    public TimeSpan AddonCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The disk quota of every add-on, in bytes, instead of its plan's (e.g. a machine with a small disk); null: the plan's.
    /// </summary>
    public long? AddonDiskQuotaBytes { get; init; }

    /// <summary>OTLP/HTTP collector base URL (e.g. http://127.0.0.1:4318); when set, deployment traces are exported there.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>
    /// Where the router runs: <see cref="RouterModes.InProcess"/> (default: inside this process) or <see cref="RouterModes.Process"/>
    /// (a separate <c>nuage router</c> process the server starts or re-adopts, which keeps serving while the server is away).
    /// </summary>
    public string Router { get; init; } = RouterModes.InProcess;

    /// <summary>Automatic HTTPS with ACME (<c>--acme-email</c>, <c>--acme-directory</c>); off by default.</summary>
    public Acme.AcmeOptions Acme { get; init; } = new();
    /// <summary>Usage metering and the price list (<c>--prices</c>).</summary>
    public Usage.UsageOptions Usage { get; init; } = new();

    /// <summary>The autoscaler's timings (docs/autoscaling.md; set by code only).</summary>
    public Autoscale.AutoscaleOptions Autoscale { get; init; } = new();

    /// <summary>Checks every option at once; the messages name the option, the value and the fix.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        CheckEndpoint(errors, "--api", Api);
        CheckEndpoint(errors, "--http", Http);
        if (Https is not null)
        {
            CheckEndpoint(errors, "--https", Https);
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                errors.Add(new FieldError("--trusted-proxy", proxy, $"\"{proxy}\" is not an IP address or CIDR range; use e.g. 10.0.0.5 or 10.0.0.0/8"));
            }
        }
        if (Uri.CheckHostName(Domain) is not (UriHostNameType.Dns) || Domain.EndsWith('.'))
        {
            errors.Add(new FieldError("--domain", Domain, $"\"{Domain}\" is not a DNS name; use a domain such as localhost or apps.example.com"));
        }

        errors.AddRange(Uploads.Validate());
        foreach (var host in Git.SubmoduleHosts)
        {
            if (Uri.CheckHostName(host.Split(':')[0]) == UriHostNameType.Unknown)
            {
                errors.Add(new FieldError("--submodule-host", host, $"\"{host}\" is not a host name; use HOST or HOST:PORT, e.g. github.com or git.example.com:8443"));
            }
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add(new FieldError("--data", DataDirectory, "the data directory is empty; give a path such as ./.nuage-data"));
        }

        if (OtlpEndpoint is not null && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https"))
        {
            errors.Add(new FieldError("--otlp-endpoint", OtlpEndpoint, $"\"{OtlpEndpoint}\" is not an http(s) URL; use the collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318"));
        }

        if (Runtime.Scheduling.LocalSchedulerOptions.CheckAddressPool(NetworkPool) is { } poolError)
        {
            errors.Add(new FieldError("--network-pool", NetworkPool, $"\"{NetworkPool}\" {poolError}"));
        }

        if (!RouterModes.All.Contains(Router, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(RouterModes.Flag, Router, $"\"{Router}\" is not a router mode; use {string.Join(" or ", RouterModes.All)}"));
        }

        errors.AddRange(Mcp.Validate());
        errors.AddRange(Usage.Validate());
        errors.AddRange(Autoscale.Validate());
        errors.AddRange(Oidc.Validate());
        errors.AddRange(Acme.Validate(Https));
        errors.AddRange(Deployments.Validate());
        errors.AddRange(Builds.Validate());
        errors.AddRange(Build.Validate());
        errors.AddRange((Logs with { Directory = DataDirectory }).Validate());
        return errors;
    }

    public static IPEndPoint ParseEndpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        var host = value[..colon].Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(address, int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void CheckEndpoint(List<FieldError> errors, string option, string value)
    {
        var colon = value.LastIndexOf(':');
        var ok = colon > 0
            && int.TryParse(value[(colon + 1)..], out var port) && port is >= 0 and <= 65535
            && (value[..colon] == "localhost" || IPAddress.TryParse(value[..colon].Trim('[', ']'), out _));
        if (!ok)
        {
            errors.Add(new FieldError(option, value, $"\"{value}\" is not a listen address; use IP:PORT, e.g. 127.0.0.1:7070 (port 0 picks a free port)"));
        }
    }
}

using System.CommandLine;
using Nuage.Build;
using Nuage.Cli.Hosting;
using Nuage.Logs.Storage;
using Nuage.Runtime.Builds;
using Nuage.Server.Deployments;
using Nuage.Server.Hosting;
using Nuage.Server.Mcp;
using Nuage.Server.Uploads;

namespace Nuage;

/// <summary>
/// Every flag of <c>nuage server</c>, in one place: its name (the options types own the names their messages use),
/// its help and default, and how it sets <see cref="NuageServerOptions"/>. docs/operations.md lists each one
/// (ServerHelpTests checks it, and pins the help text).
/// </summary>
internal sealed class ServerFlags
{
    private static readonly DeploymentOptions Deployments = new();
    private static readonly McpOptions Mcp = new();
    private static readonly LogStoreOptions Logs = new();

    private readonly Option<string> _data = new("--data") { Description = "Data directory (default: $NUAGE_DATA, else ./.nuage-data)" };
    private readonly Option<string> _api = new("--api") { Description = "API listen address", DefaultValueFactory = _ => NuageServerOptions.DefaultApi };
    private readonly Option<string> _http = new("--http") { Description = "Router listen address (apps)", DefaultValueFactory = _ => NuageServerOptions.DefaultHttp };
    private readonly Option<string?> _https = new("--https") { Description = "Router HTTPS listen address, e.g. 0.0.0.0:8443 (certificates per domain: 'nuage domain add D --cert F --key F')" };
    private readonly Option<string[]> _trustedProxies = new("--trusted-proxy")
    {
        Description = "IP or CIDR of a proxy in front of the router whose X-Forwarded-* headers are trusted (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _domain = new("--domain") { Description = "Apps answer at <app>.<domain>", DefaultValueFactory = _ => NuageServerOptions.DefaultDomain };
    private readonly Option<bool> _insecure = new("--insecure-no-sandbox") { Description = "Run apps without bubblewrap and cgroups (unsafe; for machines that cannot sandbox)" };
    private readonly Option<bool> _hostNetwork = new("--insecure-host-network") { Description = "Run apps on the host's network instead of a network namespace each (unsafe: apps reach each other, the API and local services; for machines without network namespaces or nftables)" };
    private readonly Option<string> _networkPool = new("--network-pool") { Description = "Private IPv4 range for instance addresses, one /31 per instance", DefaultValueFactory = _ => NuageServerOptions.DefaultNetworkPool };
    private readonly Option<bool> _allowPrivateDrains = new("--allow-private-drains") { Description = "Let log drains send to private and loopback addresses (a collector on this machine or the LAN); link-local and this server's own ports stay refused" };
    private readonly Option<string[]> _submoduleHosts = new("--submodule-host")
    {
        Description = "HOST or HOST:PORT a pushed commit's submodules may be fetched from (repeatable; this server's own /git/ remotes are always allowed)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _otlp = new("--otlp-endpoint") { Description = "Export traces of platform operations (deployments and their stages) to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318" };

    private readonly Option<string[]> _readOnlyPaths = new("--sandbox-read-only-path")
    {
        Description = "Host folder every app sandbox may read besides the system, e.g. a runtime under /opt (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<int> _buildMemory = Number(BuildSandboxOptions.MemoryFlag, "Memory limit of each build step and hook, in MiB", BuildSandboxOptions.DefaultMemoryMiB);
    private readonly Option<int> _buildCpu = Number(BuildSandboxOptions.MilliCpuFlag, "CPU limit of each build step and hook, in thousandths of a core", BuildSandboxOptions.DefaultMilliCpu);
    private readonly Option<int> _buildProcesses = Number(BuildSandboxOptions.MaxProcessesFlag, "Most processes and threads of each build step and hook", BuildSandboxOptions.DefaultMaxProcesses);
    private readonly Option<long> _maxUpload = Number(BuildOptions.MaxUploadBytesFlag, "Largest accepted upload, in bytes as received", BuildOptions.DefaultMaxUploadBytes);
    private readonly Option<long> _maxExpanded = Number(BuildOptions.MaxExpandedBytesFlag, "Largest size of an upload once extracted, in bytes", BuildOptions.DefaultMaxExpandedBytes);
    private readonly Option<int> _maxFiles = Number(BuildOptions.MaxFilesFlag, "Most entries (files, folders, links) in an upload", BuildOptions.DefaultMaxFiles);
    private readonly Option<int> _queuedPerApp = Number(UploadLimits.MaxQueuedPerAppFlag, "Uploads one app may have saved and not yet deployed (the running one included)", UploadLimits.DefaultMaxQueuedPerApp);
    private readonly Option<long> _queuedBytes = Number(UploadLimits.MaxQueuedBytesFlag, "Bytes all saved, not yet deployed uploads may take together, over all apps", UploadLimits.DefaultMaxQueuedBytes);
    private readonly Option<int> _concurrent = Number(DeploymentOptions.MaxConcurrentFlag, "Deployments of different apps that run at once; more wait in line", Deployments.MaxConcurrent);
    private readonly Option<int> _keepReleases = Number(DeploymentOptions.KeepReleasesFlag, "Built releases kept per app for rollback", Deployments.KeepReleases);
    private readonly Option<int> _healthTimeout = Number(DeploymentOptions.HealthTimeoutFlag, "Time new instances have to pass their health check", (int)Deployments.HealthTimeout.TotalSeconds);
    private readonly Option<int> _drainTimeout = Number(DeploymentOptions.DrainTimeoutFlag, "Time in-flight requests to retired instances have to finish", (int)Deployments.DrainTimeout.TotalSeconds);
    private readonly Option<int> _stopTimeout = Number(DeploymentOptions.StopTimeoutFlag, "Time between SIGTERM and SIGKILL when stopping an instance", (int)Deployments.StopTimeout.TotalSeconds);
    private readonly Option<int> _retentionDays = Number(LogStoreOptions.RetentionDaysFlag, "Log lines older than this many days are deleted", (int)Logs.RetentionAge.TotalDays);
    private readonly Option<long> _retentionMiB = Number(LogStoreOptions.RetentionMiBFlag, "Per-app size cap of the log store, in MiB (oldest lines go first)", Logs.RetentionBytes >> 20);
    private readonly Option<int> _mcpCalls = Number(McpOptions.CallsPerWindowFlag, "MCP tool calls one token may make per rate window", Mcp.CallsPerWindow);
    private readonly Option<int> _mcpDeploys = Number(McpOptions.DeploysPerWindowFlag, "MCP deploy and rollback calls one token may make per rate window", Mcp.DeploysPerWindow);
    private readonly Option<int> _mcpWindow = Number(McpOptions.RateWindowFlag, "The MCP rate window, in seconds (budgets refill over it)", (int)Mcp.RateWindow.TotalSeconds);
    private readonly Option<int> _mcpIdempotency = Number(McpOptions.IdempotencyCapacityFlag, "MCP idempotency keys remembered", Mcp.IdempotencyCapacity);
    private readonly Option<string[]> _mcpHosts = new(McpOptions.AllowedHostFlag)
    {
        Description = "Host name accepted by /mcp besides loopback and the API's own (DNS-rebinding guard; repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _oidcIssuers = new(Nuage.Server.Oidc.OidcOptions.IssuerFlag)
    {
        Description = "OpenID Connect issuer trusted for sign-in, e.g. https://sso.example.com/realms/NAME (discovered at start; repeatable, paired with --oidc-client-id)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _oidcClientIds = new(Nuage.Server.Oidc.OidcOptions.ClientIdFlag)
    {
        Description = "Client id registered for Nuage at the matching --oidc-issuer",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _oidcGroupRoles = new(Nuage.Server.Oidc.OidcOptions.GroupRoleFlag)
    {
        Description = "Map an OpenID Connect group (or Keycloak realm role) to an organisation role at sign-in: GROUP=ORG:ROLE (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _router = new(RouterModes.Flag)
    {
        Description = $"Where the router runs: '{RouterModes.InProcess}' (inside the server) or '{RouterModes.Process}' (a separate 'nuage router' process that keeps serving apps while the server restarts, is upgraded or killed)",
        DefaultValueFactory = _ => RouterModes.InProcess,
    };

    private readonly Option<string?> _acmeEmail = new(Nuage.Server.Acme.AcmeOptions.EmailFlag)
    {
        Description = "Obtain and renew custom domains' certificates with ACME: the account's contact email (needs --https; with HTTP-01, the default, the HTTP listener must be reachable on port 80; see --acme-challenge)",
    };

    private readonly Option<string> _acmeDirectory = new(Nuage.Server.Acme.AcmeOptions.DirectoryFlag)
    {
        Description = "ACME directory URL of the CA",
        DefaultValueFactory = _ => Nuage.Server.Acme.AcmeOptions.LetsEncryptProduction,
    };

    private readonly Option<string> _acmeChallenge = new(Nuage.Server.Acme.AcmeOptions.ChallengeFlag)
    {
        Description = "How the CA validates a domain: 'http-01' (the HTTP listener, reached on port 80) or 'tls-alpn-01' (the HTTPS listener, reached on port 443)",
        DefaultValueFactory = _ => Nuage.Router.Acme.AcmeChallengeTypes.Http01,
    };

    private readonly Option<string?> _acmeCaCertificate = new(Nuage.Server.Acme.AcmeOptions.CaCertificateFlag)
    {
        Description = "PEM file of a root trusted for the ACME CA's own HTTPS endpoint (private or test CAs such as Pebble)",
    };
    private readonly Option<string?> _prices = new(Nuage.Server.Usage.UsageOptions.PricesFlag) { Description = "Price list (JSON: currency, price per hour per flavor and per add-on plan) that 'nuage usage' and budgets cost usage with; none by default (docs/usage.md)" };

    public IEnumerable<Option> All =>
    [
        _data, _api, _http, _https, _trustedProxies, _domain, _submoduleHosts, _allowPrivateDrains, _insecure, _networkPool, _hostNetwork, _otlp, _readOnlyPaths,
        _buildMemory, _buildCpu, _buildProcesses, _maxUpload, _maxExpanded, _maxFiles, _queuedPerApp, _queuedBytes,
        _concurrent, _keepReleases, _healthTimeout, _drainTimeout, _stopTimeout,
        _retentionDays, _retentionMiB,
        _mcpCalls, _mcpDeploys, _mcpWindow, _mcpIdempotency, _mcpHosts,
        _oidcIssuers, _oidcClientIds, _oidcGroupRoles,
        _router,
        _acmeEmail, _acmeDirectory, _acmeCaCertificate, _acmeChallenge,
        _prices,
    ];

    /// <summary>The server options the parsed flags describe (defaults for flags not given).</summary>
    public NuageServerOptions Bind(ParseResult parse, CliEnvironment env) => new()
    {
        DataDirectory = parse.GetValue(_data) ?? env.Variables.GetValueOrDefault("NUAGE_DATA") ?? NuageServerOptions.DefaultDataDirectory,
        Api = parse.GetValue(_api)!,
        Http = parse.GetValue(_http)!,
        Https = parse.GetValue(_https),
        TrustedProxies = parse.GetValue(_trustedProxies) ?? [],
        Domain = parse.GetValue(_domain)!,
        InsecureNoSandbox = parse.GetValue(_insecure),
        InsecureHostNetwork = parse.GetValue(_hostNetwork),
        NetworkPool = parse.GetValue(_networkPool)!,
        AllowPrivateDrains = parse.GetValue(_allowPrivateDrains),
        Git = new Nuage.Server.Git.GitRemoteOptions { SubmoduleHosts = parse.GetValue(_submoduleHosts) ?? [] },
        Uploads = new UploadLimits { MaxQueuedPerApp = parse.GetValue(_queuedPerApp), MaxQueuedBytes = parse.GetValue(_queuedBytes) },
        OtlpEndpoint = parse.GetValue(_otlp),
        SelfCommand = SelfInvocation.Command,
        SandboxReadOnlyPaths = [SelfInvocation.Directory, .. parse.GetValue(_readOnlyPaths) ?? []],
        Builds = new BuildSandboxOptions
        {
            MemoryMiB = parse.GetValue(_buildMemory),
            MilliCpu = parse.GetValue(_buildCpu),
            MaxProcesses = parse.GetValue(_buildProcesses),
        },
        Build = new BuildOptions { MaxUploadBytes = parse.GetValue(_maxUpload), MaxExpandedBytes = parse.GetValue(_maxExpanded), MaxFiles = parse.GetValue(_maxFiles) },
        Deployments = new DeploymentOptions
        {
            MaxConcurrent = parse.GetValue(_concurrent),
            KeepReleases = parse.GetValue(_keepReleases),
            HealthTimeout = TimeSpan.FromSeconds(parse.GetValue(_healthTimeout)),
            DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(_drainTimeout)),
            StopTimeout = TimeSpan.FromSeconds(parse.GetValue(_stopTimeout)),
        },
        Logs = new LogStoreOptions { RetentionAge = TimeSpan.FromDays(parse.GetValue(_retentionDays)), RetentionBytes = parse.GetValue(_retentionMiB) << 20 },
        Mcp = new McpOptions
        {
            CallsPerWindow = parse.GetValue(_mcpCalls),
            DeploysPerWindow = parse.GetValue(_mcpDeploys),
            RateWindow = TimeSpan.FromSeconds(parse.GetValue(_mcpWindow)),
            IdempotencyCapacity = parse.GetValue(_mcpIdempotency),
            AllowedHosts = parse.GetValue(_mcpHosts) ?? [],
        },
        Oidc = Nuage.Server.Oidc.OidcOptions.From(parse.GetValue(_oidcIssuers) ?? [], parse.GetValue(_oidcClientIds) ?? [], parse.GetValue(_oidcGroupRoles) ?? []),
        Router = parse.GetValue(_router)!,
        Acme = new Nuage.Server.Acme.AcmeOptions
        {
            Email = parse.GetValue(_acmeEmail),
            Directory = parse.GetValue(_acmeDirectory)!,
            CaCertificateFile = parse.GetValue(_acmeCaCertificate),
            Challenge = parse.GetValue(_acmeChallenge)!,
        },
        Usage = new Nuage.Server.Usage.UsageOptions { PricesFile = parse.GetValue(_prices) },
    };

    private static Option<T> Number<T>(string name, string description, T fallback) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback };
}

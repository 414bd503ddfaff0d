using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuage.Build;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Server.Api;
using Nuage.Server.Apps;
using Nuage.Server.Deployments;
using Nuage.Server.Domains;
using Nuage.Server.Env;
using Nuage.Server.Git;
using Nuage.Server.Instances;
using Nuage.Server.Logs;
using Nuage.Server.Metrics;
using Nuage.Server.Mcp;
using Nuage.Server.Releases;
using Nuage.Server.Security;
using Nuage.Server.Tokens;
using Nuage.Server.WebConsole;
using Nuage.State.Sqlite;

namespace Nuage.Server.Hosting;

/// <summary>The platform process: API listener, application services, router, scheduler and log pipeline.</summary>
public sealed class NuageServer : IAsyncDisposable
{
    private readonly WebApplication _api;
    private readonly Platform _platform;

    private NuageServer(WebApplication api, Platform platform, NuagePaths paths, Uri apiAddress, string? initialAdminToken)
    {
        _api = api;
        _platform = platform;
        Paths = paths;
        ApiAddress = apiAddress;
        InitialAdminToken = initialAdminToken;
    }

    public NuagePaths Paths { get; }

    public Uri ApiAddress { get; }

    /// <summary>Where the router serves apps (first HTTP listener).</summary>
    public Uri RouterAddress => _platform.RouterHttpAddresses[0];

    /// <summary>Where the router serves apps over HTTPS (first HTTPS listener; null without <c>--https</c>).</summary>
    public Uri? RouterHttpsAddress => _platform.RouterHttpsAddresses.Count > 0 ? _platform.RouterHttpsAddresses[0] : null;

    /// <summary>The admin token created on first start (null on later starts: it is shown only once).</summary>
    public string? InitialAdminToken { get; }

    public IServiceProvider Services => _api.Services;

    /// <summary>Validates options, prepares the data directory, and starts listening. Throws <see cref="NuageException"/> on bad options.</summary>
    public static async Task<NuageServer> StartAsync(NuageServerOptions options, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOption, errors);
        }

        time ??= TimeProvider.System;
        IReadOnlyList<Oidc.OidcIssuer> issuers;
        using (var discovery = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
        {
            issuers = await Oidc.OidcDiscovery.DiscoverAllAsync(options.Oidc, discovery, cancellationToken);
        }

        var prices = options.Usage.PricesFile is { } pricesFile ? Usage.PriceList.Load(pricesFile) : Usage.PriceList.None; // a bad price list is refused before anything starts
        var paths = new NuagePaths(options.DataDirectory);
        DataDirectory.Prepare(paths);
        var key = DataDirectory.LoadOrCreateKey(paths);
        var store = SqliteStateStore.Open(paths.Database);
        DataDirectory.RestrictModes(paths); // the database file SQLite just created, if it is new
        var adminToken = await DataDirectory.EnsureAdminTokenAsync(paths, store, time, cancellationToken);
        // YARP logs two Information lines per proxied request (the access log already records each one): keep its warnings only.
        var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning));
        var box = new SecretBox(key);
        var platform = await Platform.StartAsync(options, paths, box, store, time, loggers, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(NuageServerOptions.ParseEndpoint(options.Api));
            k.Limits.MaxRequestBodySize = options.MaxApiBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Deployments);
        builder.Services.AddSingleton<IStateStore>(store);
        builder.Services.AddSingleton(box);
        builder.Services.AddSingleton(platform.Logs);
        builder.Services.AddSingleton<ILogSink>(platform.Logs.Sink);
        builder.Services.AddSingleton(platform.Tailers);
        builder.Services.AddSingleton(platform.Drains);
        builder.Services.AddSingleton(platform.Router);
        builder.Services.AddSingleton(platform.Scheduler);
        builder.Services.AddSingleton(new AppUrls(options.Domain, () => platform.RouterPort));
        builder.Services.AddSingleton(new VariableValidator(VariableRegistry.Default, await HostVersions.DetectAsync(cancellationToken)));
        builder.Services.AddSingleton(new Nuage.Build.Planning.HostTools(SystemPath.Value));
        builder.Services.AddNuageBuild(options.Build);
        builder.Services.AddSingleton<TokenAuthenticator>();
        builder.Services.AddSingleton<AppService>();
        builder.Services.AddSingleton<EnvPolicy>();
        builder.Services.AddSingleton<EnvService>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton(issuers);
        builder.Services.AddSingleton(options.Oidc);
        builder.Services.AddSingleton<Oidc.OidcIssuers>();
        builder.Services.AddSingleton<Oidc.OidcSessions>();
        builder.Services.AddSingleton<Oidc.OidcDeviceLogins>();
        builder.Services.AddSingleton<Oidc.OidcCodeLogins>();
        builder.Services.AddSingleton<Oidc.OidcStartLimiter>();
        builder.Services.AddSingleton<Oidc.OidcRefresher>();
        builder.Services.AddSingleton<Oidc.OidcProviders>();
        builder.Services.AddSingleton<Orgs.OrgService>();
        builder.Services.AddSingleton<Audit.AuditTrail>();
        builder.Services.AddSingleton<Audit.AuditService>();
        builder.Services.AddNuageGit(options.Git);
        builder.Services.AddSingleton<AppDomains>();
        builder.Services.AddSingleton<DomainService>();
        builder.Services.AddSingleton<Acme.AcmeCertificates>();
        builder.Services.AddSingleton<Flow.AppFlows>();
        builder.Services.AddSingleton<Flow.FlowService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Acme.AcmeCertificates>());
        builder.Services.AddSingleton<AppInstances>();
        builder.Services.AddSingleton<InstanceSpecFactory>();
        builder.Services.AddSingleton<StaticServing>();
        builder.Services.AddSingleton<DeploymentProgressHub>();
        builder.Services.AddSingleton<IdleHeapTrimmer>();
        builder.Services.AddSingleton<DeploymentQueue>();
        builder.Services.AddSingleton(new Uploads.UploadBudget(options.Uploads));
        builder.Services.AddSingleton<DeploymentHooks>();
        builder.Services.AddSingleton<ReleaseBuilder>();
        builder.Services.AddSingleton<ReleaseActivator>();
        builder.Services.AddSingleton<ReleaseRetirer>();
        builder.Services.AddSingleton<DeploymentRunner>();
        builder.Services.AddSingleton<DeploymentService>();
        builder.Services.AddSingleton<AppOperations>();
        builder.Services.AddSingleton(platform.Metrics);
        builder.Services.AddSingleton(platform.Meters);
        builder.Services.AddSingleton(_ => new DeploymentTelemetry(platform.Meters));
        builder.Services.AddSingleton(_ => new TraceExport(OtlpTracing.Create(options.OtlpEndpoint, Environment.MachineName)));
        builder.Services.AddSingleton<LogService>();
        builder.Services.AddSingleton<DrainService>();
        builder.Services.AddSingleton<MetricsService>();
        builder.Services.AddNuageMcp(options.Mcp);
        builder.Services.AddSingleton<ConsoleSessions>();
        builder.Services.AddSingleton<ConsoleAssets>();
        builder.Services.AddSingleton<MetricsHistory>();
        builder.Services.AddSingleton<Addons.AddonEngines>();
        builder.Services.AddSingleton<Addons.AddonServers>();
        builder.Services.AddSingleton<Addons.AddonFirewall>();
        builder.Services.AddSingleton<Addons.AddonVariables>();
        builder.Services.AddSingleton<Addons.AddonService>();
        builder.Services.AddSingleton<Addons.IScheduledAddonBackups>(services => services.GetRequiredService<Addons.AddonService>());
        builder.Services.AddHostedService<Addons.AddonBackupScheduler>();
        builder.Services.AddSingleton<Addons.AddonMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Addons.AddonMonitor>());
        builder.Services.AddSingleton(options.Usage);
        builder.Services.AddSingleton(prices);
        builder.Services.AddSingleton<Usage.UsageMeter>();
        builder.Services.AddSingleton<Usage.UsageService>();
        builder.Services.AddSingleton<Usage.BudgetService>();
        builder.Services.AddSingleton<Usage.BudgetWatcher>();
        builder.Services.AddSingleton(options.Autoscale);
        builder.Services.AddSingleton<InstanceSetScaler>();
        builder.Services.AddSingleton<Autoscale.AutoscaleCeiling>();
        builder.Services.AddSingleton<Autoscale.AutoscaleEvents>();
        builder.Services.AddSingleton<Autoscale.AutoscalePolicies>();
        builder.Services.AddSingleton<Autoscale.AutoscaleEvaluator>();
        builder.Services.AddSingleton(new Network.NetworkConfigStore(paths));
        builder.Services.AddSingleton(new Network.RouterHealthProbe(
            () => platform.RouterHttpAddresses,
            app => platform.Router.Routes.FirstOrDefault(r => r.AppName == app) is { } route
                ? new Network.AppProbeTarget($"{app}.{options.Domain}", route.HealthPaths.FirstOrDefault() ?? "/")
                : null));
        builder.Services.AddSingleton<Network.BgpSpeaker>();

        var serverServices = builder.Services.ToArray(); // forwarded to the parts built on first use (OpenAPI, MCP)
        var app = builder.Build();
        app.Use(ConsoleEndpoints.AddSecurityHeadersAsync);
        app.Use(Audit.RestAudit.HandleAsync);
        app.Use(Problems.HandleAsync);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1") && !c.Request.Path.StartsWithSegments(Oidc.OidcEndpoints.AnonymousPrefix), v1 => v1.Use(CallerContext.AuthenticateAsync));
        OpenApiDocument.Map(app, serverServices);
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        NuageApi.Map(app);
        GitEndpoints.Map(app);
        ConsoleEndpoints.Map(app);
        ConsoleOidcEndpoints.Map(app);
        Network.NetworkEndpoints.Map(app);
        app.MapNuageMcp(options.Api, serverServices);
        app.MapFallback((HttpContext http) =>
            Problems.WriteAsync(http, 404, ErrorCodes.NotFound, $"No endpoint answers {http.Request.Method} {http.Request.Path}; see /openapi/v1.json.", null));

        app.Services.GetRequiredService<TraceExport>();
        var usageMeter = app.Services.GetRequiredService<Usage.UsageMeter>(); // listens to instance events before any restore
        await app.Services.GetRequiredService<DeploymentService>().RecoverAsync(cancellationToken);
        var env = app.Services.GetRequiredService<EnvService>();
        var validator = app.Services.GetRequiredService<VariableValidator>();
        await app.Services.GetRequiredService<DomainService>().RestoreAsync(cancellationToken);
        await app.Services.GetRequiredService<Flow.AppFlows>().RestoreAsync(cancellationToken);
        await app.Services.GetRequiredService<Autoscale.AutoscalePolicies>().RestoreAsync(cancellationToken);
        var instances = app.Services.GetRequiredService<AppInstances>();
        var addonFirewall = app.Services.GetRequiredService<Addons.AddonFirewall>();
        instances.BeforeStart = addonFirewall.SyncAsync; // linked apps reach their add-ons from their first start
        await app.Services.GetRequiredService<Addons.AddonServers>().RestoreAsync(cancellationToken); // databases before the apps that use them
        await instances.PublishRestoringAsync(cancellationToken); // known hosts answer 503 + Retry-After, never 404
        await platform.StartRouterAsync(cancellationToken);
        await instances.RestoreAsync(
            async lookup => validator.ReadSettings(await env.ReadAsync(lookup.App, cancellationToken)).HealthCheckPaths, cancellationToken);
        await usageMeter.ReconcileAsync(cancellationToken); // runs that ended while the server was down close at their last checkpoint
        await platform.ActivateRouterAsync(cancellationToken); // a router process serves the restored routes before the API answers
        await app.Services.GetRequiredService<Oidc.OidcProviders>().LoadAsync(cancellationToken); // providers added at run time; one that is down is retried
        await app.StartAsync(cancellationToken);
        app.Services.GetRequiredService<MetricsHistory>().Start();
        app.Services.GetRequiredService<Usage.BudgetWatcher>().Start();
        app.Services.GetRequiredService<Autoscale.AutoscaleEvaluator>().Start();
        app.Services.GetRequiredService<Oidc.OidcRefresher>().Start();
        app.Services.GetRequiredService<Network.BgpSpeaker>().Start(); // announces once the router answers
        app.Services.GetRequiredService<IdleHeapTrimmer>().Started(); // starting is a burst of allocations too
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        platform.Listeners.Add(new Uri(address));
        return new NuageServer(app, platform, paths, new Uri(address), adminToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _api.StopAsync(cancellationToken);
    }

    /// <summary>Completes when the process is asked to stop (SIGTERM, SIGINT) or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _api.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }
    }

    /// <summary>Stops the API and the platform's engines. App instances keep running; the next start adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _platform.DisposeAsync();
    }
}

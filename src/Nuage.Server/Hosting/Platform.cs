using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Logs.Drains;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Metrics;
using Nuage.Logs.Storage;
using Nuage.Router;
using Nuage.Runtime.Scheduling;
using Nuage.Server.Logs;
using Nuage.Server.Metrics;
using Nuage.Server.Security;

namespace Nuage.Server.Hosting;

/// <summary>
/// The long-lived engines behind the API: log store and drains, router, scheduler. Created before the API host
/// (they need async start-up) and disposed after it, in reverse order. The router is created here but listens only
/// from <see cref="StartRouterAsync"/>.
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    private Platform(PlatformMeters meters, MeterCollector metrics, LogStore logs, InstanceOutputTailers tailers, DrainManager drains, NuageRouter router, IInstanceScheduler scheduler, ServerListeners listeners)
    {
        Listeners = listeners;
        Meters = meters;
        Metrics = metrics;
        Logs = logs;
        Tailers = tailers;
        Drains = drains;
        Router = router;
        Scheduler = scheduler;
    }

    /// <summary>Creates this server's meters; <see cref="Metrics"/> aggregates them for /metrics.</summary>
    public PlatformMeters Meters { get; }

    public MeterCollector Metrics { get; }

    public LogStore Logs { get; }

    public InstanceOutputTailers Tailers { get; }

    public DrainManager Drains { get; }

    /// <summary>This server's listeners, refused as drain destinations; the API adds its address once bound.</summary>
    public ServerListeners Listeners { get; }

    public NuageRouter Router { get; }

    public IInstanceScheduler Scheduler { get; }

    /// <summary>The separate router process (<c>--router process</c>); null when the router runs in this process.</summary>
    public RouterProcess.RouterProcessLink? RouterProcess { get; private set; }

    /// <summary>Where apps are served over HTTP, by whichever router serves them.</summary>
    public IReadOnlyList<Uri> RouterHttpAddresses => RouterProcess?.HttpAddresses ?? Router.HttpAddresses;

    /// <summary>Where apps are served over HTTPS.</summary>
    public IReadOnlyList<Uri> RouterHttpsAddresses => RouterProcess?.HttpsAddresses ?? Router.HttpsAddresses;

    public static async Task<Platform> StartAsync(NuageServerOptions options, NuagePaths paths, SecretBox box, IStateStore state, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var meters = new PlatformMeters();
        var metrics = new MeterCollector(meters);
        var logs = new LogStore(options.Logs with { Directory = paths.LogStore }, time, loggers, new LogsMetrics(meters));
        var tailers = new InstanceOutputTailers(logs, new InstanceOutputOptions { AppDirectory = paths.InstanceLogs });
        var listeners = new ServerListeners();
        var api = NuageServerOptions.ParseEndpoint(options.Api);
        if (api.Port != 0)
        {
            listeners.Add(api);
        }

        var drains = new DrainManager(logs, state.Drains, new DrainOptions
        {
            Hostname = Environment.MachineName,
            AllowPrivateDestinations = options.AllowPrivateDrains,
            OwnEndpoints = () => listeners.Endpoints,
        }, secrets: new SealedDrainSecrets(box));
        var router = new NuageRouter(new RouterOptions
        {
            HttpEndpoints = [options.Http],
            HttpsEndpoints = options.Https is { } https ? [https] : [],
            DomainSuffix = options.Domain,
            TrustedProxies = options.TrustedProxies,
        }, logs.Sink, time, loggers, meters);
        var schedulerOptions = new LocalSchedulerOptions
        {
            RunDirectory = paths.Run,
            InsecureNoSandbox = options.InsecureNoSandbox,
            InsecureHostNetwork = options.InsecureHostNetwork,
            AddressPool = options.NetworkPool,
            Builds = options.Builds,
            ExtraReadOnlyPaths = options.SandboxReadOnlyPaths,
        };

        var scheduler = await LocalScheduler.CreateAsync(schedulerOptions, logs.Sink, loggers.CreateLogger<LocalScheduler>(), time, cancellationToken);
        var platform = new Platform(meters, metrics, logs, tailers, drains, router, scheduler, listeners);
        if (options.Router == RouterModes.Process)
        {
            // The router object stays the server's view of the routes (and its health checker); a separate process serves them.
            platform.RouterProcess = new RouterProcess.RouterProcessLink(router, options, paths, logs.Sink, loggers, time);
            router.Replica = platform.RouterProcess;
        }

        if (scheduler.NetworkProblem is { } problem)
        {
            // Apps would otherwise run with no network isolation, or not at all: refuse to start instead.
            await platform.DisposeAsync();
            throw new NuageException(
                ErrorKind.Failed,
                ErrorCodes.NetworkIsolationUnavailable,
                $"Apps cannot get a network of their own here: {problem} Fix this, or start the server with --insecure-host-network to run apps on the host's network (any app can then reach other apps, the API and local services).");
        }

        await drains.StartAsync(cancellationToken);
        return platform;
    }

    /// <summary>
    /// Opens the router's listeners. The server calls it once every known app has a route (at least a "restoring"
    /// one), so no request to an existing app is ever answered 404 while the server starts.
    /// </summary>
    public async Task StartRouterAsync(CancellationToken cancellationToken)
    {
        if (RouterProcess is not null)
        {
            await RouterProcess.StartAsync(cancellationToken);
        }
        else
        {
            await Router.StartAsync(cancellationToken);
        }

        foreach (var address in RouterHttpAddresses.Concat(RouterHttpsAddresses))
        {
            Listeners.Add(address);
        }
    }

    /// <summary>
    /// Every app's real route is published: a router process gets the full snapshot now (before the server reports ready) and
    /// every change from then on. Nothing to do for the in-process router, which serves what is published as it is published.
    /// </summary>
    public Task ActivateRouterAsync(CancellationToken cancellationToken) =>
        RouterProcess?.ActivateAsync(cancellationToken) ?? Task.CompletedTask;

    public int RouterPort => RouterHttpAddresses.Count > 0 ? RouterHttpAddresses[0].Port : 0;

    public async ValueTask DisposeAsync()
    {
        if (RouterProcess is not null)
        {
            await RouterProcess.DisposeAsync(); // the router process itself keeps serving
        }

        await Router.DisposeAsync();
        await Scheduler.DisposeAsync();
        await Drains.DisposeAsync();
        await Tailers.DisposeAsync();
        await Logs.DisposeAsync();
        Metrics.Dispose();
        Meters.Dispose();
    }
}

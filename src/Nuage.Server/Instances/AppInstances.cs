using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nuage.Core.Apps;
using Nuage.Core.Instances;
using Nuage.Core.Routing;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Logs.Ingestion;
using Nuage.Router;
using Nuage.Server.Deployments;
using Nuage.Server.Domains;
using Nuage.Server.Releases;
using Nuage.Server.Security;

namespace Nuage.Server.Instances;

/// <summary>
/// The running side of apps: starts instance sets through the scheduler, remembers them across server restarts
/// (specs sealed, since they hold the app's variables), gates them on health, switches the router, and retires
/// old ones after draining.
/// </summary>
internal sealed partial class AppInstances : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IInstanceScheduler _scheduler;
    private readonly NuageRouter _router;
    private readonly IStateStore _store;
    private readonly SecretBox _box;
    private readonly DeploymentOptions _options;
    private readonly ILogger<AppInstances> _logger;
    private readonly InstanceOutputTailers _tailers;
    private readonly AppDomains _domains;
    private readonly Flow.AppFlows _flows;
    private readonly StaticServing _staticServing;
    private readonly Lock _publishLock = new();
    private readonly ConcurrentDictionary<string, InstanceSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _replacedSites = new(StringComparer.Ordinal);
    private readonly Channel<InstanceState> _changes = Channel.CreateUnbounded<InstanceState>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _persistLoop;

    public AppInstances(
        IInstanceScheduler scheduler,
        NuageRouter router,
        InstanceOutputTailers tailers,
        IStateStore store,
        SecretBox box,
        DeploymentOptions options,
        AppDomains domains,
        StaticServing staticServing,
        Flow.AppFlows flows,
        ILogger<AppInstances> logger)
    {
        _flows = flows;
        _staticServing = staticServing;
        _domains = domains;
        _tailers = tailers;
        _scheduler = scheduler;
        _router = router;
        _store = store;
        _box = box;
        _options = options;
        _logger = logger;
        _scheduler.InstanceChanged += (_, e) => _changes.Writer.TryWrite(e.State);
        _persistLoop = Task.Run(PersistLoopAsync);
    }

    /// <summary>CPU and memory of a live instance (null when not measurable or not running).</summary>
    public InstanceUsage? Usage(string instanceId) => _scheduler.GetUsage(instanceId);

    /// <summary>Waits until an instance has finished (a task's exit code).</summary>
    public Task<InstanceState> WaitForExitAsync(string instanceId, CancellationToken cancellationToken) =>
        _scheduler.WaitForExitAsync(instanceId, cancellationToken);

    /// <summary>
    /// Awaited once new specs are known and before any of them starts (also during a restore): the add-ons' firewall
    /// lets the new instances' addresses reach their linked add-ons before the app first connects.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeStart { get; set; }

    /// <summary>Every instance spec this server knows (live or about to start).</summary>
    public IReadOnlyList<InstanceSpec> AllSpecs() => [.. _specs.Values];

    /// <summary>Starts every spec; if one fails, stops those already started and rethrows.</summary>
    public async Task<IReadOnlyList<InstanceState>> StartAsync(IReadOnlyList<InstanceSpec> specs, CancellationToken cancellationToken)
    {
        var started = new List<InstanceState>();
        try
        {
            foreach (var spec in specs)
            {
                _specs[spec.InstanceId] = spec;
            }

            if (BeforeStart is { } beforeStart)
            {
                await beforeStart(cancellationToken);
            }

            foreach (var spec in specs)
            {
                await SaveAsync(spec, null, cancellationToken);
                Tail(spec);
                started.Add(await _scheduler.StartAsync(spec, cancellationToken));
            }

            return started;
        }
        catch
        {
            await RetireAsync(specs.Select(s => s.InstanceId).ToList(), drain: false, CancellationToken.None);
            throw;
        }
    }

    public static IReadOnlyList<InstanceEndpoint> Endpoints(IEnumerable<InstanceSpec> specs) =>
        [.. specs.Where(s => s.Kind == InstanceKind.Web && s.Port is not null)
            .Select(s => new InstanceEndpoint(s.InstanceId, s.InstanceNumber, $"{s.Address ?? "127.0.0.1"}:{s.Port}"))];

    /// <summary>The web endpoints of an app's instances that belong to <paramref name="deploymentId"/>.</summary>
    public IReadOnlyList<InstanceEndpoint> Endpoints(string appId, string deploymentId) =>
        Endpoints(_specs.Values.Where(s => s.AppId == appId && s.DeploymentId == deploymentId && _scheduler.Get(s.InstanceId) is not null).OrderBy(s => s.InstanceNumber));

    /// <summary>
    /// Points the app's route (default host and custom domains) at the given instances, or at a static site the router
    /// serves itself, or at the stopped/no-release page, in one atomic swap. A static serving replaced here is
    /// remembered so <see cref="DrainReplacedSitesAsync"/> can drain it.
    /// </summary>
    public void Publish(AppConfig app, IReadOnlyList<InstanceEndpoint> endpoints, IReadOnlyList<string> healthPaths, StaticSiteConfig? site = null)
    {
        lock (_publishLock)
        {
            var previous = _router.Routes.FirstOrDefault(r => r.AppId == app.Id)?.StaticSite;
            _router.Publish(new AppRoute(
                app.Id,
                app.Name,
                !app.Running ? RouteState.Stopped : app.CurrentDeploymentId is null ? RouteState.NoRelease : RouteState.Serving,
                app.CurrentDeploymentId,
                endpoints) { HealthPaths = healthPaths, CustomDomains = _domains.Of(app.Id), StaticSite = site, Flow = _flows.Of(app.Id) });
            if (previous is not null && previous.ServingId != site?.ServingId)
            {
                _replacedSites.AddOrUpdate(app.Id, [previous.ServingId], (_, ids) => [.. ids, previous.ServingId]);
            }
        }
    }

    /// <summary>Waits for requests still reading an app's replaced static release to finish (the retire step, like instances' drain).</summary>
    public async Task DrainReplacedSitesAsync(string appId, CancellationToken cancellationToken)
    {
        if (_replacedSites.TryRemove(appId, out var ids))
        {
            await _router.DrainAsync(ids, _options.DrainTimeout, cancellationToken);
        }
    }

    /// <summary>
    /// Republishes the app's current route with its current custom domains and flow (after <c>domain add|rm</c>, <c>protect</c>…),
    /// and returns once the router serves it.
    /// </summary>
    public Task RepublishAsync(string appId, CancellationToken cancellationToken)
    {
        lock (_publishLock)
        {
            if (_router.Routes.FirstOrDefault(r => r.AppId == appId) is { } route)
            {
                _router.Publish(route with { CustomDomains = _domains.Of(appId), Flow = _flows.Of(appId) });
            }
        }

        return _router.SyncAsync(cancellationToken);
    }

    public void Unpublish(string appId)
    {
        lock (_publishLock)
        {
            _router.Remove(appId);
            _domains.ForgetApp(appId);
        }
    }

    /// <summary>Instance ids of an app, optionally only those not of <paramref name="exceptDeploymentId"/>.</summary>
    public IReadOnlyList<string> InstancesOf(string appId, string? exceptDeploymentId = null) =>
        [.. _specs.Values.Where(s => s.AppId == appId && s.DeploymentId != exceptDeploymentId).Select(s => s.InstanceId)];

    public IReadOnlyList<InstanceState> States(string appId) => _scheduler.List(appId);

    public InstanceSpec? Spec(string instanceId) => _specs.GetValueOrDefault(instanceId);

    /// <summary>
    /// Stops and forgets the instances. With <paramref name="drain"/> (they no longer receive new requests), they get
    /// SIGTERM at once, so they can close WebSockets and finish requests themselves, while the router waits for what
    /// is in flight; an instance still running after the drain timeout gets SIGKILL.
    /// </summary>
    public async Task RetireAsync(IReadOnlyCollection<string> instanceIds, bool drain, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0)
        {
            return;
        }

        var draining = drain ? _router.DrainAsync(instanceIds, _options.DrainTimeout, cancellationToken) : Task.CompletedTask;
        var stopTimeout = drain && _options.DrainTimeout > _options.StopTimeout ? _options.DrainTimeout : _options.StopTimeout;
        await Task.WhenAll(instanceIds.Select(async id =>
        {
            if (_scheduler.Get(id) is not null)
            {
                await _scheduler.StopAsync(id, stopTimeout, CancellationToken.None);
                _scheduler.Remove(id);
            }

            await draining; // the port is handed out again only once the router has forgotten the instance

            if (_specs.TryRemove(id, out var spec))
            {
                await _tailers.StopAsync(spec.AppId, id);
                if (spec.Port is { } port)
                {
                    _scheduler.ReleasePort(port);
                }

                if (spec.Address is { } address)
                {
                    _scheduler.ReleaseAddress(address);
                }
            }

            await _store.Instances.DeleteAsync(id, CancellationToken.None);
        }));
    }

    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _persistLoop;
    }

    /// <summary>Starts copying the instance's output files into the log store (idempotent; resumes at the saved offset).</summary>
    private void Tail(InstanceSpec spec) =>
        _tailers.Start(new InstanceOutput(spec.AppId, spec.InstanceId, spec.DeploymentId, spec.StdoutPath, spec.StderrPath));

    private async Task PersistLoopAsync()
    {
        await foreach (var state in _changes.Reader.ReadAllAsync())
        {
            if (_specs.TryGetValue(state.InstanceId, out var spec))
            {
                try
                {
                    await SaveAsync(spec, state, CancellationToken.None);
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
                {
                    LogPersistFailed(_logger, state.InstanceId, e);
                }
            }
        }
    }

    private Task SaveAsync(InstanceSpec spec, InstanceState? state, CancellationToken cancellationToken) =>
        _store.Instances.SaveAsync(
            new InstanceRecord(
                spec.InstanceId,
                spec.AppId,
                spec.DeploymentId,
                Convert.ToBase64String(_box.Seal(JsonSerializer.Serialize(spec, Json), "instance:" + spec.InstanceId)),
                state is null ? string.Empty : JsonSerializer.Serialize(state, Json)),
            cancellationToken);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Could not save the state of instance {InstanceId}")]
    private static partial void LogPersistFailed(ILogger logger, string instanceId, Exception exception);
}

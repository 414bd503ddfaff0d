using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nuage.Core.Instances;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Core.Usage;
using Nuage.Server.Addons;
using Nuage.Server.Instances;
using Nuage.Server.Metrics;

namespace Nuage.Server.Usage;

/// <summary>
/// Meters every instance the scheduler runs (apps' and add-on servers'): instance events open and close intervals in
/// the ledger, a checkpoint every <see cref="UsageOptions.CheckpointInterval"/> records which runs are still alive,
/// and after a server start <see cref="ReconcileAsync"/> closes the runs that ended while it was down. Everything goes
/// through one queue, so events, checkpoints and the reconcile apply in the order they happened.
/// </summary>
internal sealed partial class UsageMeter : IAsyncDisposable
{
    public const string MeterName = "Nuage.Usage";

    private readonly IInstanceScheduler _scheduler;
    private readonly IStateStore _store;
    private readonly AppInstances _apps;
    private readonly AddonServers _addons;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageMeter> _logger;
    private readonly UsageLedger _ledger;
    private readonly Meter _meter;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, UsageSubject> _subjects = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly Task _ticker;
    private readonly TimeSpan _checkpointInterval;
    private volatile IReadOnlyList<Measurement<double>> _totals = [];

    public UsageMeter(IInstanceScheduler scheduler, IStateStore store, AppInstances apps, AddonServers addons, UsageOptions options, PlatformMeters meters, TimeProvider time, ILogger<UsageMeter> logger)
    {
        _scheduler = scheduler;
        _store = store;
        _apps = apps;
        _addons = addons;
        _time = time;
        _logger = logger;
        _checkpointInterval = options.CheckpointInterval;
        _ledger = new UsageLedger(store.Usage);
        _meter = meters.Create(new MeterOptions(MeterName));
        _meter.CreateObservableCounter(
            "nuage.usage.instance_seconds",
            () => _totals,
            "s",
            "Instance-seconds metered since the first start, by organisation, kind (app or addon) and flavor or plan (refreshed at each checkpoint).");
        _scheduler.InstanceChanged += (_, e) => _queue.Writer.TryWrite(e);
        _loop = Task.Run(LoopAsync);
        _ticker = Task.Run(TickAsync);
    }

    /// <summary>After adoption at server start: closes the intervals of runs that ended while the server was down.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Reconcile(done));
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Applies every queued event and a checkpoint now (tests, and before reading exact figures).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Checkpoint(done));
        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // A last checkpoint: instances keep running while the server is stopped, and the next start adopts them.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Checkpoint(done));
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        await _ticker;
        _stopping.Dispose();
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(_checkpointInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                _queue.Writer.TryWrite(new Checkpoint(null));
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            try
            {
                switch (message)
                {
                    case InstanceEvent e:
                        await ApplyAsync(e);
                        break;
                    case Checkpoint c:
                        await CheckpointAsync();
                        c.Done?.TrySetResult();
                        break;
                    case Reconcile r:
                        var closed = await _ledger.CloseVanishedAsync(id => _scheduler.Get(id)?.IsLive == true, CancellationToken.None);
                        LogReconciled(_logger, closed);
                        await CheckpointAsync();
                        r.Done.TrySetResult();
                        break;
                }
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
            {
                LogMeteringFailed(_logger, e);
                (message as Checkpoint)?.Done?.TrySetException(e);
                (message as Reconcile)?.Done.TrySetException(e);
            }
        }
    }

    private async Task ApplyAsync(InstanceEvent e)
    {
        var state = e.State;
        if (state.IsLive)
        {
            if (await SubjectAsync(state) is { } subject)
            {
                await _ledger.LiveAsync(state.InstanceId, subject, state.StartedAt.ToUnixTimeMilliseconds(), CancellationToken.None);
            }
        }
        else
        {
            await _ledger.EndedAsync(state.InstanceId, e.Timestamp.ToUnixTimeMilliseconds(), CancellationToken.None);
        }
    }

    private async Task CheckpointAsync()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var live = _scheduler.List().Where(s => s.IsLive).ToList();
        foreach (var state in live)
        {
            // Normally a no-op: the instance's live event already opened its interval.
            if (await SubjectAsync(state) is { } subject)
            {
                await _ledger.LiveAsync(state.InstanceId, subject, state.StartedAt.ToUnixTimeMilliseconds(), CancellationToken.None);
            }
        }

        await _ledger.CheckpointAsync([.. live.Select(s => s.InstanceId)], now, CancellationToken.None);
        var orgs = (await _store.Orgs.ListAsync(null, CancellationToken.None)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var totals = await _store.Usage.SumAsync(new UsageQuery { From = 0, To = long.MaxValue, Now = now }, CancellationToken.None);
        _totals = [.. totals
            .GroupBy(t => (t.OrgId, t.SubjectKind, t.Flavor))
            .Select(g => new Measurement<double>(
                g.Sum(t => t.Seconds),
                new KeyValuePair<string, object?>("org", orgs.GetValueOrDefault(g.Key.OrgId, g.Key.OrgId)),
                new KeyValuePair<string, object?>("kind", g.Key.SubjectKind),
                new KeyValuePair<string, object?>("flavor", g.Key.Flavor)))];
    }

    /// <summary>What the instance is metered as, or null when it is neither an app's nor an add-on's (or is gone).</summary>
    private async Task<UsageSubject?> SubjectAsync(InstanceState state)
    {
        if (_subjects.TryGetValue(state.InstanceId, out var known))
        {
            return known;
        }

        UsageSubject? subject = null;
        if (state.DeploymentId == AddonServers.DeploymentId)
        {
            if (_addons.Spec(state.AppId) is { } spec && await _store.Addons.FindByNameAsync(spec.AppName, CancellationToken.None) is { } addon)
            {
                subject = new UsageSubject(UsageSubjects.Addon, addon.Id, addon.Name, addon.OrgId, addon.Plan);
            }
        }
        else if (_apps.Spec(state.InstanceId) is { } spec && await _store.Apps.FindByIdAsync(spec.AppId, CancellationToken.None) is { } app)
        {
            subject = new UsageSubject(UsageSubjects.App, app.Id, app.Name, app.OrgId, spec.Flavor.Name);
        }

        if (subject is not null)
        {
            _subjects[state.InstanceId] = subject;
        }

        return subject;
    }

    private sealed record Checkpoint(TaskCompletionSource? Done);

    private sealed record Reconcile(TaskCompletionSource Done);

    [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Usage reconciled after start: {Closed} interval(s) of instances that stopped while the server was down closed at their last checkpoint")]
    private static partial void LogReconciled(ILogger logger, int closed);

    [LoggerMessage(EventId = 1251, Level = LogLevel.Warning, Message = "Could not record usage")]
    private static partial void LogMeteringFailed(ILogger logger, Exception exception);
}

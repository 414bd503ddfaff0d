using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Nuage.Core.Apps;
using Nuage.Core.State;
using Nuage.Server.Instances;
using Nuage.Server.Metrics;

namespace Nuage.Server.Autoscale;

/// <summary>
/// The autoscaler's loop: every <see cref="AutoscaleOptions.Interval"/> it measures each app that has a policy (CPU
/// per instance from the cgroups, requests per second and p99 from the router's meters, all over the last
/// <see cref="AutoscaleOptions.MetricsWindow"/>), asks the app's <see cref="AutoscaleDecider"/>, caps it with the
/// spending ceiling and applies the decision one instance at a time through <see cref="InstanceSetScaler"/>. An app
/// being scaled is not evaluated again until the change is done.
/// </summary>
internal sealed partial class AutoscaleEvaluator(
    IStateStore store,
    AutoscalePolicies policies,
    InstanceSetScaler scaler,
    AppInstances instances,
    MeterCollector collector,
    AutoscaleCeiling ceiling,
    AutoscaleEvents events,
    AutoscaleOptions options,
    TimeProvider time,
    ILogger<AutoscaleEvaluator> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, AutoscaleWindow> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AutoscaleDecider> _deciders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _applying = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>One evaluation of every app with a policy (the loop's body).</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var router = RouterReading.From(collector.Collect());
        var all = policies.All;
        foreach (var gone in _windows.Keys.Where(id => !all.ContainsKey(id)).ToList())
        {
            Forget(gone);
        }

        foreach (var (appId, policy) in all)
        {
            if (_applying.TryGetValue(appId, out var busy) && !busy.IsCompleted)
            {
                continue;
            }

            var app = await store.Apps.FindByIdAsync(appId, cancellationToken);
            if (app is null)
            {
                policies.Forget(appId);
            }

            var current = app is { Running: true } ? scaler.Serving(app) : 0;
            if (app is null || current == 0)
            {
                Forget(appId); // nothing serves: measurements start again from scratch once it does
                continue;
            }

            var ids = instances.Route(app.Id)!.Instances.Select(e => e.InstanceId).ToList();
            var window = _windows.TryGetValue(appId, out var w) ? w : _windows[appId] = new AutoscaleWindow(options.MetricsWindow, options.Interval);
            window.Add(new AutoscaleSnapshot(
                now,
                ids.ToDictionary(id => id, id => instances.Usage(id)?.CpuSeconds, StringComparer.Ordinal),
                router.Requests(appId),
                router.Buckets(appId)));
            var sample = window.Measure(now, ids, Flavors.Find(app.Flavor)?.MilliCpu ?? 1000);
            var decider = DeciderFor(appId, policy);
            var affordable = await ceiling.ForAsync(app, current, app.Flavor, cancellationToken);
            AutoscaleDecision decision;
            lock (_gate)
            {
                decision = decider.Decide(now, sample, affordable?.Instances);
            }

            if (decision.Action == AutoscaleAction.Hold)
            {
                var kind = decision.Capped ? "ceiling" : !sample.Complete ? "partial" : decision.Reason.Contains("backing off", StringComparison.Ordinal) ? "backoff" : "steady";
                var reason = decision.Capped && affordable is not null ? decision.Reason + " (" + affordable.Why + ")" : decision.Reason;
                events.Held(app, current, kind, reason, tell: kind is "ceiling" or "backoff");
                continue;
            }

            _applying[appId] = Task.Run(() => ApplyAsync(app, decider, decision, current, _stop.Token), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        await Task.WhenAll(_applying.Values);
        _stop.Dispose();
    }

    private async Task ApplyAsync(AppConfig app, AutoscaleDecider decider, AutoscaleDecision decision, int from, CancellationToken cancellationToken)
    {
        try
        {
            var count = from;
            while (count != decision.Desired)
            {
                var change = decision.Action == AutoscaleAction.ScaleOut ? await scaler.AddAsync(app, cancellationToken) : await scaler.RemoveAsync(app, cancellationToken);
                if (!change.Changed)
                {
                    if (decision.Action == AutoscaleAction.ScaleOut)
                    {
                        TimeSpan backoff;
                        lock (_gate)
                        {
                            backoff = decider.Failed(time.GetUtcNow());
                        }

                        await SaveCountAsync(app, count, cancellationToken);
                        await events.FailedAsync(app, count, decision.Desired, change.Detail, backoff);
                    }
                    else
                    {
                        LogScaleInSkipped(logger, app.Name, change.Detail);
                    }

                    return;
                }

                count += decision.Action == AutoscaleAction.ScaleOut ? 1 : -1;
            }

            lock (_gate)
            {
                decider.Applied(time.GetUtcNow());
            }

            await SaveCountAsync(app, count, cancellationToken);
            await events.ChangedAsync(app, decision.Action == AutoscaleAction.ScaleOut ? "out" : "in", from, count, decision.Reason);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Server stopping: the instances started so far serve; the next start adopts them.
        }
#pragma warning disable CA1031 // A failed step must not end the autoscaler; it is logged and the app is evaluated again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogApplyFailed(logger, app.Name, e);
        }
    }

    /// <summary>The app's desired count follows the running set, so the next deployment or restart starts as many.</summary>
    private async Task SaveCountAsync(AppConfig app, int count, CancellationToken cancellationToken)
    {
        if (await store.Apps.FindByIdAsync(app.Id, cancellationToken) is { } fresh && fresh.Instances != count && fresh.CurrentDeploymentId == app.CurrentDeploymentId)
        {
            await store.Apps.UpdateAsync(fresh with { Instances = count }, cancellationToken);
        }
    }

    private AutoscaleDecider DeciderFor(string appId, AutoscalePolicy policy)
    {
        if (!_deciders.TryGetValue(appId, out var decider) || decider.Policy != policy)
        {
            decider = _deciders[appId] = new AutoscaleDecider(policy, options.Behavior());
        }

        return decider;
    }

    private void Forget(string appId)
    {
        _windows.Remove(appId);
        _deciders.Remove(appId);
        if (!policies.All.ContainsKey(appId))
        {
            events.Forget(appId);
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await EvaluateAsync(_stop.Token);
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
                {
                    LogEvaluateFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Autoscaler: could not evaluate the apps")]
    private static partial void LogEvaluateFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Error, Message = "Autoscaler: applying a decision for app {App} failed")]
    private static partial void LogApplyFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "Autoscaler: scale-in of app {App} skipped: {Reason}")]
    private static partial void LogScaleInSkipped(ILogger logger, string app, string reason);
}

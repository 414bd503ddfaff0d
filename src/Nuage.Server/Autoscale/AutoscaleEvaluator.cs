using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Deployments;
using Nuage.Server.Instances;
using Nuage.Server.Metrics;

namespace Nuage.Server.Autoscale;

/// <summary>
/// The autoscaler's loop: every <see cref="AutoscaleOptions.Interval"/> it measures each app that has a policy (CPU
/// per instance from the cgroups, requests per second and p99 from the router's meters, all over the last
/// <see cref="AutoscaleOptions.MetricsWindow"/>), asks the app's <see cref="AutoscaleDecider"/>, caps it with the
/// spending ceiling and applies the decision one instance at a time through <see cref="InstanceSetScaler"/>, or, for a
/// flavor change, through a restart deployment of the current release with the new flavor (the health-gated switch
/// of every deploy). An app being scaled is not evaluated again until the change is done.
/// </summary>
internal sealed partial class AutoscaleEvaluator(
    IStateStore store,
    AutoscalePolicies policies,
    InstanceSetScaler scaler,
    DeploymentService deployments,
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
            var sample = window.Measure(now, ids, Flavors.Find(app.Flavor)?.MilliCpu ?? 1000) with { Flavor = app.Flavor };
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

            if (decision.Action is AutoscaleAction.ResizeUp or AutoscaleAction.ResizeDown)
            {
                if (decision.Action == AutoscaleAction.ResizeUp
                    && await ceiling.ForAsync(app, 0, decision.Flavor!, cancellationToken) is { } larger && larger.Instances < current)
                {
                    events.Held(app, current, "ceiling", decision.Reason + string.Create(CultureInfo.InvariantCulture, $"; the spending ceiling affords {larger.Instances} {decision.Flavor} instance(s) ({larger.Why})"), tell: true);
                    continue;
                }

                _applying[appId] = Task.Run(() => ResizeAsync(app, decider, decision, _stop.Token), CancellationToken.None);
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
            var result = await scaler.ScaleToAsync(app, decision.Desired, cancellationToken);
            if (result.Serving != decision.Desired)
            {
                if (decision.Action == AutoscaleAction.ScaleOut)
                {
                    TimeSpan backoff;
                    lock (_gate)
                    {
                        backoff = decider.Failed(time.GetUtcNow());
                    }

                    await SaveCountAsync(app, result.Serving, cancellationToken);
                    await events.FailedAsync(app, result.Serving, decision.Desired, result.Detail, backoff);
                }
                else
                {
                    LogScaleInSkipped(logger, app.Name, result.Detail);
                }

                return;
            }

            var count = result.Serving;
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

    /// <summary>
    /// A vertical move: the app's flavor is changed in the desired state and a restart deployment of the current
    /// release starts its instances with it beside the old ones; they serve once healthy, the old ones drain. When the
    /// deployment fails, the old flavor is put back (the old instances never stopped) and further moves back off.
    /// </summary>
    private async Task ResizeAsync(AppConfig app, AutoscaleDecider decider, AutoscaleDecision decision, CancellationToken cancellationToken)
    {
        var from = app.Flavor;
        var to = decision.Flavor!;
        string? deploymentId = null;
        try
        {
            if (await store.Apps.FindByIdAsync(app.Id, cancellationToken) is not { Running: true } fresh || fresh.Flavor != from)
            {
                return; // changed meanwhile (stopped, or scaled by hand): evaluate again
            }

            await store.Apps.UpdateAsync(fresh with { Flavor = to }, cancellationToken);
            string? failure;
            try
            {
                var started = await deployments.ReuseAsync(AutoscaleEvents.SystemIn(app), app.Name, null, DeploymentKind.Restart, cancellationToken);
                deploymentId = started.Id;
                var done = await WaitForDeploymentAsync(started.Id, cancellationToken);
                failure = done.State == DeploymentState.Succeeded ? null : $"deployment {done.Id} {done.State.ToString().ToLowerInvariant()} at {done.FailedStage}: {done.FailureReason}";
            }
            catch (NuageException e)
            {
                failure = e.Message;
            }

            if (failure is null)
            {
                lock (_gate)
                {
                    decider.Resized(time.GetUtcNow());
                }

                await events.ResizedAsync(app, from, to, decision.Reason, deploymentId!);
                return;
            }

            await PutFlavorBackAsync(app.Id, from, to);
            TimeSpan backoff;
            lock (_gate)
            {
                backoff = decider.Failed(time.GetUtcNow());
            }

            await events.ResizeFailedAsync(app, from, to, failure, backoff);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Server stopping: the deployment queue cancels the restart deployment next (or the next start records it
            // as interrupted), and the old instances keep serving and are adopted by the next start. So the old flavor
            // goes back too, unless the switch already happened.
            if ((deploymentId is null || await store.Deployments.FindAsync(deploymentId, CancellationToken.None) is not { State: DeploymentState.Succeeded })
                && await PutFlavorBackAsync(app.Id, from, to))
            {
                LogResizeInterrupted(logger, app.Name, from, to);
            }
        }
#pragma warning disable CA1031 // A failed step must not end the autoscaler; it is logged and the app is evaluated again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogApplyFailed(logger, app.Name, e);
        }
    }

    /// <summary>The desired flavor goes back to <paramref name="from"/>, unless something else changed it meanwhile (then: false).</summary>
    private async Task<bool> PutFlavorBackAsync(string appId, string from, string to)
    {
        if (await store.Apps.FindByIdAsync(appId, CancellationToken.None) is not { } after || after.Flavor != to)
        {
            return false;
        }

        await store.Apps.UpdateAsync(after with { Flavor = from }, CancellationToken.None);
        return true;
    }

    private async Task<DeploymentRecord> WaitForDeploymentAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await store.Deployments.FindAsync(id, cancellationToken) is { State: not (DeploymentState.Queued or DeploymentState.Running) } done)
            {
                return done;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
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

    [LoggerMessage(EventId = 1213, Level = LogLevel.Warning, Message = "Autoscaler: the server stopped during the resize of app {App} from {From} to {To}; the old flavor is put back (its instances keep serving)")]
    private static partial void LogResizeInterrupted(ILogger logger, string app, string from, string to);
}

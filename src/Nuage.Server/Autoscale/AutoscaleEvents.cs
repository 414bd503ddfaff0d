using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Audit;
using Nuage.Core.Auth;
using Nuage.Core.Logging;
using Nuage.Server.Audit;
using Nuage.Server.Metrics;

namespace Nuage.Server.Autoscale;

/// <summary>
/// Where the autoscaler's decisions show: every decision counts in <c>nuage_autoscale_decisions_total{app,direction}</c>;
/// changes (scale-out, scale-in, failed scale-out) and holds that matter to the user (the spending ceiling, partial
/// metrics, a back-off) go to the app's log stream as platform lines (<c>nuage logs</c>, drains, MCP <c>get_logs</c>),
/// the audit trail (changes only) and the server log; the latest ones are listed by <c>nuage scale --json</c>.
/// A hold is reported again only when its kind changes, so a steady app does not fill its log.
/// </summary>
internal sealed partial class AutoscaleEvents
{
    public const string MeterName = "Nuage.Autoscale";
    public const string ScaleOutAction = "autoscale.scale_out";
    public const string ScaleInAction = "autoscale.scale_in";
    public const string FailedAction = "autoscale.scale_out_failed";
    public const string ResizeUpAction = "autoscale.resize_up";
    public const string ResizeDownAction = "autoscale.resize_down";
    public const string ResizeFailedAction = "autoscale.resize_failed";
    public const int Kept = 20;

    private readonly ConcurrentDictionary<string, Queue<AutoscaleDecisionDto>> _byApp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastHold = new(StringComparer.Ordinal);
    private readonly Counter<long> _decisions;
    private readonly AuditTrail _audit;
    private readonly ILogSink _logs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AutoscaleEvents(PlatformMeters meters, AuditTrail audit, ILogSink logs, TimeProvider time, ILogger<AutoscaleEvents> logger)
    {
        _audit = audit;
        _logs = logs;
        _time = time;
        _logger = logger;
        _decisions = meters.Create(new MeterOptions(MeterName)).CreateCounter<long>(
            "nuage.autoscale.decisions", "{decision}", "Autoscaler decisions, by app and direction (out, in, hold, failed).");
    }

    /// <summary>The latest decisions of an app, newest first.</summary>
    public IReadOnlyList<AutoscaleDecisionDto> Of(string appId) =>
        _byApp.TryGetValue(appId, out var queue) ? Snapshot(queue) : [];

    public void Forget(string appId)
    {
        _byApp.TryRemove(appId, out _);
        _lastHold.TryRemove(appId, out _);
    }

    /// <summary>A hold. <paramref name="kind"/> groups holds that read alike (e.g. "ceiling", "partial", "steady").</summary>
    public void Held(AppConfig app, int instances, string kind, string reason, bool tell)
    {
        Count(app, "hold");
        if (_lastHold.TryGetValue(app.Id, out var last) && last == kind)
        {
            return;
        }

        _lastHold[app.Id] = kind;
        Remember(app, new AutoscaleDecisionDto(_time.GetUtcNow(), "hold", instances, instances, reason));
        LogHold(_logger, app.Name, instances, reason);
        if (tell)
        {
            _logs.Write(new LogRecord(_time.GetUtcNow(), app.Id, LogSource.Platform, $"Autoscaler: staying at {Count(instances)}: {reason}"));
        }
    }

    public async Task ChangedAsync(AppConfig app, string direction, int from, int to, string reason)
    {
        Count(app, direction);
        _lastHold.TryRemove(app.Id, out _);
        var verb = direction == "out" ? "scaled out" : "scaled in";
        var message = $"Autoscaler: {verb} from {Count(from)} to {to}: {reason}";
        Remember(app, new AutoscaleDecisionDto(_time.GetUtcNow(), "scale-" + direction, from, to, reason));
        LogChanged(_logger, app.Name, from, to, reason);
        _logs.Write(new LogRecord(_time.GetUtcNow(), app.Id, LogSource.Platform, message));
        await _audit.RecordAsync(SystemIn(app), "platform", direction == "out" ? ScaleOutAction : ScaleInAction, app.Name, "autoscale", AuditOutcomes.Success, message);
    }

    public async Task FailedAsync(AppConfig app, int from, int to, string reason, TimeSpan backoff)
    {
        Count(app, "failed");
        _lastHold.TryRemove(app.Id, out _);
        var message = string.Create(CultureInfo.InvariantCulture, $"Autoscaler: scale-out from {Count(from)} to {to} failed, retrying in {backoff.TotalSeconds:0} s at the earliest; the app keeps serving: {reason}");
        Remember(app, new AutoscaleDecisionDto(_time.GetUtcNow(), "scale-out-failed", from, from, reason));
        LogFailed(_logger, app.Name, to, reason);
        _logs.Write(new LogRecord(_time.GetUtcNow(), app.Id, LogSource.Platform, message));
        await _audit.RecordAsync(SystemIn(app), "platform", FailedAction, app.Name, "autoscale", AuditOutcomes.Failed, message);
    }

    /// <summary>A vertical move done: the instances run with <paramref name="to"/> after the health-gated switch.</summary>
    public async Task ResizedAsync(AppConfig app, string from, string to, string reason, string deploymentId)
    {
        var up = Rank(to) > Rank(from);
        Count(app, up ? "resize-up" : "resize-down");
        _lastHold.TryRemove(app.Id, out _);
        var message = $"Autoscaler: resized from {from} to {to} (deployment {deploymentId}): {reason}";
        Remember(app, new AutoscaleDecisionDto(_time.GetUtcNow(), up ? "resize-up" : "resize-down", app.Instances, app.Instances, reason) { FromFlavor = from, ToFlavor = to });
        LogResized(_logger, app.Name, from, to, reason);
        _logs.Write(new LogRecord(_time.GetUtcNow(), app.Id, LogSource.Platform, message));
        await _audit.RecordAsync(SystemIn(app), "platform", up ? ResizeUpAction : ResizeDownAction, app.Name, "autoscale", AuditOutcomes.Success, message);
    }

    /// <summary>A vertical move whose new instances did not serve: the old ones still do.</summary>
    public async Task ResizeFailedAsync(AppConfig app, string from, string to, string reason, TimeSpan backoff)
    {
        Count(app, "failed");
        _lastHold.TryRemove(app.Id, out _);
        var message = string.Create(CultureInfo.InvariantCulture, $"Autoscaler: resize from {from} to {to} failed, retrying in {backoff.TotalSeconds:0} s at the earliest; the app keeps serving with {from}: {reason}");
        Remember(app, new AutoscaleDecisionDto(_time.GetUtcNow(), "resize-failed", app.Instances, app.Instances, reason) { FromFlavor = from, ToFlavor = to });
        LogResizeFailed(_logger, app.Name, from, to, reason);
        _logs.Write(new LogRecord(_time.GetUtcNow(), app.Id, LogSource.Platform, message));
        await _audit.RecordAsync(SystemIn(app), "platform", ResizeFailedAction, app.Name, "autoscale", AuditOutcomes.Failed, message);
    }

    /// <summary>The platform acting inside the app's organisation (so entries land in that organisation's trail).</summary>
    internal static Caller SystemIn(AppConfig app) => Caller.System with { OrgId = app.OrgId, Activity = new CallerActivity { OrgId = app.OrgId } };

    private static int Rank(string flavor) => Flavors.All.ToList().FindIndex(f => f.Name == flavor);

    private static string Count(int instances) => instances == 1 ? "1 instance" : instances.ToString(CultureInfo.InvariantCulture) + " instances";

    private static IReadOnlyList<AutoscaleDecisionDto> Snapshot(Queue<AutoscaleDecisionDto> queue)
    {
        lock (queue)
        {
            return [.. queue.Reverse()];
        }
    }

    private void Remember(AppConfig app, AutoscaleDecisionDto decision)
    {
        var queue = _byApp.GetOrAdd(app.Id, _ => new Queue<AutoscaleDecisionDto>());
        lock (queue)
        {
            queue.Enqueue(decision);
            while (queue.Count > Kept)
            {
                queue.Dequeue();
            }
        }
    }

    private void Count(AppConfig app, string direction) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("app", app.Id), new KeyValuePair<string, object?>("direction", direction));

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Autoscaler: app {App} scaled from {From} to {To} instance(s): {Reason}")]
    private static partial void LogChanged(ILogger logger, string app, int from, int to, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Autoscaler: scale-out of app {App} to {To} instance(s) failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string app, int to, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Autoscaler: app {App} stays at {Instances} instance(s): {Reason}")]
    private static partial void LogHold(ILogger logger, string app, int instances, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Autoscaler: app {App} resized from {From} to {To}: {Reason}")]
    private static partial void LogResized(ILogger logger, string app, string from, string to, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Autoscaler: resize of app {App} from {From} to {To} failed: {Reason}")]
    private static partial void LogResizeFailed(ILogger logger, string app, string from, string to, string reason);
}

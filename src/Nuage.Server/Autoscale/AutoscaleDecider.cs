using System.Globalization;

namespace Nuage.Server.Autoscale;

/// <summary>What the evaluator measured for one app over its last window.</summary>
/// <param name="Instances">Instances serving now.</param>
/// <param name="Complete">
/// False while some instance is too new to have a full window of metrics, or the server restarted within the window:
/// no decision is taken on partial data.
/// </param>
/// <param name="CpuPercent">Average CPU per instance, in percent of the flavor's CPU share.</param>
/// <param name="Rps">Requests per second for the whole app.</param>
/// <param name="P99Ms">The app's p99 latency in milliseconds.</param>
internal sealed record AutoscaleSample(int Instances, bool Complete, double? CpuPercent, double? Rps, double? P99Ms);

internal enum AutoscaleAction
{
    Hold,
    ScaleOut,
    ScaleIn,
}

/// <summary>A decision and its reason (recorded as an event whatever the action).</summary>
/// <param name="Capped">True when the spending ceiling lowered the count the metrics asked for.</param>
internal sealed record AutoscaleDecision(AutoscaleAction Action, int Desired, string Reason, bool Capped = false);

/// <summary>The timings of the algorithm (docs/autoscaling.md).</summary>
internal sealed record AutoscaleBehavior
{
    /// <summary>No change while every metric is within this fraction of its target (HPA's default: 10 %).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>Scale-out uses the lowest recommendation of this window (short: react fast, but not to one spike).</summary>
    public TimeSpan ScaleUpWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Scale-in uses the highest recommendation of this window, so a dip does not remove capacity (HPA: 300 s).</summary>
    public TimeSpan ScaleDownWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After any change, no scale-out until the new instances report (their metrics fill a window).</summary>
    public TimeSpan ScaleUpCooldown { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>After any change, no scale-in for this long.</summary>
    public TimeSpan ScaleDownCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait after a failed scale-out (a new instance failed its health check); doubles up to <see cref="MaxFailureBackoff"/>.</summary>
    public TimeSpan FailureBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxFailureBackoff { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The desired instance count of one app, computed like the Kubernetes HorizontalPodAutoscaler: for each target,
/// desired = ceil(current × metric ÷ target), unless the ratio is within the tolerance; the largest wins; the result is
/// clamped to the policy's range and to what the remaining budget affords; then stabilised (scale-out takes the
/// lowest recommendation of a short window, scale-in the highest of a long one) and held during cooldowns and after a
/// failed scale-out. One decider per app; not thread-safe (the evaluator calls it from one loop).
/// </summary>
internal sealed class AutoscaleDecider(AutoscalePolicy policy, AutoscaleBehavior behavior)
{
    private readonly List<(DateTimeOffset At, int Desired)> _recommendations = [];
    private DateTimeOffset? _lastChange;
    private DateTimeOffset? _blockedUntil;
    private int _failures;

    public AutoscalePolicy Policy => policy;

    /// <param name="affordable">The most instances the organisation's remaining budget allows this month (null: no ceiling).</param>
    public AutoscaleDecision Decide(DateTimeOffset now, AutoscaleSample sample, int? affordable = null)
    {
        var current = sample.Instances;
        if (!sample.Complete)
        {
            return new(AutoscaleAction.Hold, current, "waiting for complete metrics (an instance is new or the server restarted)");
        }

        var (raw, why) = Recommend(sample);
        var bounded = Math.Clamp(raw, policy.MinInstances, policy.MaxInstances);
        if (bounded != raw)
        {
            why += string.Create(CultureInfo.InvariantCulture, $"; clamped to {policy.MinInstances}–{policy.MaxInstances}");
        }

        var capped = false;
        if (affordable is { } cap && bounded > current && bounded > cap)
        {
            capped = true;
            bounded = Math.Max(cap, current); // never scale out past the budget; never scale in because of it
            why += string.Create(CultureInfo.InvariantCulture, $"; the spending ceiling affords {cap}");
        }

        _recommendations.Add((now, bounded));
        var horizon = now - (behavior.ScaleDownWindow > behavior.ScaleUpWindow ? behavior.ScaleDownWindow : behavior.ScaleUpWindow);
        _recommendations.RemoveAll(r => r.At < horizon);

        if (bounded > current)
        {
            var stable = _recommendations.Where(r => r.At >= now - behavior.ScaleUpWindow).Min(r => r.Desired);
            if (stable <= current)
            {
                return new(AutoscaleAction.Hold, current, why + "; waiting for the scale-up window to confirm", capped);
            }

            if (_blockedUntil is { } blocked && now < blocked)
            {
                return new(AutoscaleAction.Hold, current, why + string.Create(CultureInfo.InvariantCulture, $"; backing off after a failed scale-out until {blocked:HH:mm:ss}"));
            }

            if (_lastChange is { } last && now - last < behavior.ScaleUpCooldown)
            {
                return new(AutoscaleAction.Hold, current, why + "; in the cooldown after the last change");
            }

            return new(AutoscaleAction.ScaleOut, stable, why, capped);
        }

        if (bounded < current)
        {
            var stable = _recommendations.Where(r => r.At >= now - behavior.ScaleDownWindow).Max(r => r.Desired);
            if (stable >= current)
            {
                return new(AutoscaleAction.Hold, current, why + "; the scale-down window saw higher load");
            }

            if (_lastChange is { } last && now - last < behavior.ScaleDownCooldown)
            {
                return new(AutoscaleAction.Hold, current, why + "; in the cooldown after the last change");
            }

            return new(AutoscaleAction.ScaleIn, stable, why);
        }

        return new(AutoscaleAction.Hold, current, why, capped);
    }

    /// <summary>The decision was carried out (the instances are serving or have been drained).</summary>
    public void Applied(DateTimeOffset now)
    {
        _lastChange = now;
        _failures = 0;
        _blockedUntil = null;
    }

    /// <summary>A scale-out failed (a new instance did not pass its health check): back off, doubling each time.</summary>
    public TimeSpan Failed(DateTimeOffset now)
    {
        var wait = behavior.FailureBackoff * Math.Pow(2, Math.Min(_failures, 16));
        if (wait > behavior.MaxFailureBackoff)
        {
            wait = behavior.MaxFailureBackoff;
        }

        _failures++;
        _blockedUntil = now + wait;
        return wait;
    }

    private (int Desired, string Reason) Recommend(AutoscaleSample sample)
    {
        var current = Math.Max(sample.Instances, 1);
        int? best = null;
        var reasons = new List<string>();
        Consider("cpu", sample.CpuPercent, policy.TargetCpuPercent, "%");
        Consider("rps per instance", sample.Rps / current, policy.TargetRps, string.Empty);
        Consider("p99", sample.P99Ms, policy.TargetP99Ms, " ms");
        return (best ?? sample.Instances, reasons.Count == 0 ? "no metric to act on" : string.Join(", ", reasons));

        void Consider(string name, double? value, double? target, string unit)
        {
            if (value is not { } v || target is not { } t)
            {
                return;
            }

            var ratio = v / t;
            var wanted = Math.Abs(ratio - 1) <= behavior.Tolerance ? current : (int)Math.Ceiling(current * ratio - 1e-9);
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {v:0.##}{unit} vs target {t:0.##}{unit} → {wanted}"));
            best = Math.Max(best ?? wanted, wanted); // the metric that needs the most instances wins
        }
    }
}

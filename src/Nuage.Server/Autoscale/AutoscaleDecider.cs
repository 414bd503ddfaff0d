using System.Globalization;
using Nuage.Core.Apps;

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
/// <param name="Flavor">The flavor the instances run with (null: vertical moves are not considered).</param>
internal sealed record AutoscaleSample(int Instances, bool Complete, double? CpuPercent, double? Rps, double? P99Ms, string? Flavor = null);

internal enum AutoscaleAction
{
    Hold,
    ScaleOut,
    ScaleIn,

    /// <summary>Move to the next larger flavor (<see cref="AutoscaleDecision.Flavor"/>) through a health-gated switch.</summary>
    ResizeUp,

    /// <summary>Move to the next smaller flavor.</summary>
    ResizeDown,
}

/// <summary>A decision and its reason (recorded as an event whatever the action).</summary>
/// <param name="Capped">True when the spending ceiling lowered the count the metrics asked for.</param>
/// <param name="Flavor">The flavor to move to (resize decisions only).</param>
internal sealed record AutoscaleDecision(AutoscaleAction Action, int Desired, string Reason, bool Capped = false, string? Flavor = null);

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

    /// <summary>After a flavor change, no other flavor change for this long (a resize replaces every instance).</summary>
    public TimeSpan ResizeCooldown { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>
/// The desired instance count of one app, computed like the Kubernetes HorizontalPodAutoscaler: for each target,
/// desired = ceil(current × metric ÷ target), unless the ratio is within the tolerance; the largest wins; the result is
/// clamped to the policy's range and to what the remaining budget affords; then stabilised (scale-out takes the
/// lowest recommendation of a short window, scale-in the highest of a long one) and held during cooldowns and after a
/// failed scale-out. Vertically (when the policy has a flavor range and a CPU target): at max-instances with CPU still
/// above the target, the next larger flavor; at min-instances with CPU low enough to stay under the target on the next
/// smaller flavor, that one; each confirmed over the whole scale-up (resp. scale-down) window, with its own cooldown.
/// One decider per app; not thread-safe (the evaluator calls it from one loop).
/// </summary>
internal sealed class AutoscaleDecider(AutoscalePolicy policy, AutoscaleBehavior behavior)
{
    private readonly List<(DateTimeOffset At, int Desired)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int Step)> _resizes = [];
    private DateTimeOffset? _lastChange;
    private DateTimeOffset? _lastResize;
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

        if (OutOfRange(sample) is { } forced)
        {
            return _blockedUntil is { } until && now < until
                ? new(AutoscaleAction.Hold, current, forced.Reason + string.Create(CultureInfo.InvariantCulture, $"; backing off after a failed change until {until:HH:mm:ss}"))
                : forced;
        }

        var (raw, why, cpuWanted) = Recommend(sample);
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
        var step = ResizeStep(sample, cpuWanted, bounded);
        _resizes.Add((now, step));
        _resizes.RemoveAll(r => r.At < horizon);

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

        return step == 0 ? new(AutoscaleAction.Hold, current, why, capped) : Resize(now, sample, step, why);
    }

    /// <summary>The decision was carried out (the instances are serving or have been drained).</summary>
    public void Applied(DateTimeOffset now)
    {
        _lastChange = now;
        _failures = 0;
        _blockedUntil = null;
    }

    /// <summary>A flavor change was carried out (the new instances serve, the old ones drained).</summary>
    public void Resized(DateTimeOffset now)
    {
        Applied(now);
        _lastResize = now;
        _resizes.Clear(); // the next move needs a fresh window of signals at the new flavor
    }

    /// <summary>A scale-out or a flavor change failed (a new instance did not pass its health check): back off, doubling each time.</summary>
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

    private (int Desired, string Reason, int? CpuWanted) Recommend(AutoscaleSample sample)
    {
        var current = Math.Max(sample.Instances, 1);
        int? best = null;
        int? cpuWanted = null;
        var reasons = new List<string>();
        cpuWanted = Consider("cpu", sample.CpuPercent, policy.TargetCpuPercent, "%");
        Consider("rps per instance", sample.Rps / current, policy.TargetRps, string.Empty);
        Consider("p99", sample.P99Ms, policy.TargetP99Ms, " ms");
        return (best ?? sample.Instances, reasons.Count == 0 ? "no metric to act on" : string.Join(", ", reasons), cpuWanted);

        int? Consider(string name, double? value, double? target, string unit)
        {
            if (value is not { } v || target is not { } t)
            {
                return null;
            }

            var ratio = v / t;
            var wanted = Math.Abs(ratio - 1) <= behavior.Tolerance ? current : (int)Math.Ceiling(current * ratio - 1e-9);
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {v:0.##}{unit} vs target {t:0.##}{unit} → {wanted}"));
            best = Math.Max(best ?? wanted, wanted); // the metric that needs the most instances wins
            return wanted;
        }
    }

    /// <summary>The policy's flavor range as ranks in <see cref="Flavors.All"/>, and the sample's rank (null: no vertical moves).</summary>
    private (int Low, int High, int Rank)? Ranks(AutoscaleSample sample)
    {
        var low = Rank(policy.MinFlavor);
        var high = Rank(policy.MaxFlavor);
        var rank = Rank(sample.Flavor);
        return low < 0 || high < 0 || rank < 0 ? null : (low, high, rank);

        static int Rank(string? name) => name is null ? -1 : Flavors.All.ToList().FindIndex(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A flavor outside the policy's range moves into it at once (the policy was just set or changed).</summary>
    private AutoscaleDecision? OutOfRange(AutoscaleSample sample)
    {
        if (Ranks(sample) is not var (low, high, rank) || (rank >= low && rank <= high))
        {
            return null;
        }

        var target = Flavors.All[Math.Clamp(rank, low, high)].Name;
        return new(rank < low ? AutoscaleAction.ResizeUp : AutoscaleAction.ResizeDown, sample.Instances,
            $"flavor {sample.Flavor} is outside min-flavor–max-flavor ({policy.MinFlavor}–{policy.MaxFlavor}) → {target}", Flavor: target);
    }

    /// <summary>
    /// +1: at max-instances and the CPU target still asks for more instances, a larger flavor is allowed. −1: at
    /// min-instances, no target asks for more, and the CPU projected on the next smaller flavor stays below the target
    /// by more than the tolerance. 0 otherwise (or without a flavor range, a CPU target or a CPU reading).
    /// </summary>
    private int ResizeStep(AutoscaleSample sample, int? cpuWanted, int bounded)
    {
        if (Ranks(sample) is not var (low, high, rank) || policy.TargetCpuPercent is not { } target || sample.CpuPercent is not { } cpu)
        {
            return 0;
        }

        if (sample.Instances >= policy.MaxInstances && cpuWanted > policy.MaxInstances && rank < high)
        {
            return 1;
        }

        if (sample.Instances <= policy.MinInstances && bounded <= sample.Instances && rank > low)
        {
            var projected = cpu * Flavors.All[rank].MilliCpu / Flavors.All[rank - 1].MilliCpu;
            return projected < target * (1 - behavior.Tolerance) ? -1 : 0;
        }

        return 0;
    }

    private AutoscaleDecision Resize(DateTimeOffset now, AutoscaleSample sample, int step, string why)
    {
        var current = sample.Instances;
        var rank = Flavors.All.ToList().FindIndex(f => string.Equals(f.Name, sample.Flavor, StringComparison.OrdinalIgnoreCase));
        var target = Flavors.All[rank + step];
        var up = step > 0;
        why += up
            ? string.Create(CultureInfo.InvariantCulture, $"; at max-instances ({policy.MaxInstances}) → flavor {target.Name}")
            : string.Create(CultureInfo.InvariantCulture, $"; cpu would be {sample.CpuPercent * Flavors.All[rank].MilliCpu / target.MilliCpu:0.##}% on {target.Name} → flavor {target.Name}");
        var window = up ? behavior.ScaleUpWindow : behavior.ScaleDownWindow;
        if (_resizes.Any(r => r.At >= now - window && r.Step != step) || now - _resizes[0].At < window / 2) // every signal agrees, over at least half the window
        {
            return new(AutoscaleAction.Hold, current, why + $"; waiting for the scale-{(up ? "up" : "down")} window to confirm");
        }

        if (_blockedUntil is { } blocked && now < blocked)
        {
            return new(AutoscaleAction.Hold, current, why + string.Create(CultureInfo.InvariantCulture, $"; backing off after a failed change until {blocked:HH:mm:ss}"));
        }

        if (_lastChange is { } last && now - last < (up ? behavior.ScaleUpCooldown : behavior.ScaleDownCooldown))
        {
            return new(AutoscaleAction.Hold, current, why + "; in the cooldown after the last change");
        }

        if (_lastResize is { } resized && now - resized < behavior.ResizeCooldown)
        {
            return new(AutoscaleAction.Hold, current, why + "; in the cooldown after the last flavor change");
        }

        return new(up ? AutoscaleAction.ResizeUp : AutoscaleAction.ResizeDown, current, why, Flavor: target.Name);
    }
}

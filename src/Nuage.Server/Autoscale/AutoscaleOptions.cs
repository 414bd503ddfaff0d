using Nuage.Core.Errors;

namespace Nuage.Server.Autoscale;

/// <summary>
/// The autoscaler's timings (docs/autoscaling.md). The defaults are the documented ones; tests shorten them. Set by
/// code only (no command-line flag).
/// </summary>
public sealed record AutoscaleOptions
{
    /// <summary>How often every app with a policy is evaluated.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rates (CPU, requests per second, p99) are measured over this window. An app is not decided on until each of its
    /// serving instances has been measured for a whole window (instance just started, server restarted).
    /// </summary>
    public TimeSpan MetricsWindow { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ScaleUpWindow { get; init; } = new AutoscaleBehavior().ScaleUpWindow;

    public TimeSpan ScaleDownWindow { get; init; } = new AutoscaleBehavior().ScaleDownWindow;

    public TimeSpan ScaleUpCooldown { get; init; } = new AutoscaleBehavior().ScaleUpCooldown;

    public TimeSpan ScaleDownCooldown { get; init; } = new AutoscaleBehavior().ScaleDownCooldown;

    public TimeSpan FailureBackoff { get; init; } = new AutoscaleBehavior().FailureBackoff;

    /// <summary>After a flavor change (vertical move), no other flavor change for this long.</summary>
    public TimeSpan ResizeCooldown { get; init; } = new AutoscaleBehavior().ResizeCooldown;

    internal AutoscaleBehavior Behavior() => new()
    {
        ScaleUpWindow = ScaleUpWindow,
        ScaleDownWindow = ScaleDownWindow,
        ScaleUpCooldown = ScaleUpCooldown,
        ScaleDownCooldown = ScaleDownCooldown,
        FailureBackoff = FailureBackoff,
        ResizeCooldown = ResizeCooldown,
    };

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var (name, value) in new[] { ("Interval", Interval), ("MetricsWindow", MetricsWindow), ("FailureBackoff", FailureBackoff) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add(new FieldError("Autoscale." + name, value.ToString(), "a positive duration"));
            }
        }

        if (MetricsWindow < Interval)
        {
            errors.Add(new FieldError("Autoscale.MetricsWindow", MetricsWindow.ToString(), $"at least the interval ({Interval})"));
        }

        return errors;
    }
}

using System.Globalization;
using Nuage.Core.Apps;
using Nuage.Core.Errors;

namespace Nuage.Server.Autoscale;

/// <summary>
/// An app's autoscaling policy: the instance range, optionally a flavor range (vertical moves), and one or more targets. Each target is a per-instance
/// level the autoscaler steers towards: CPU as a percentage of the flavor's CPU, requests per second per instance, or
/// the router's p99 latency. Validation collects every problem at once, naming the field.
/// </summary>
internal sealed record AutoscalePolicy
{
    public const int MaxInstancesLimit = 32;

    public required int MinInstances { get; init; }

    public required int MaxInstances { get; init; }

    /// <summary>Average CPU use per instance, in percent of its flavor's CPU share (1–100).</summary>
    public double? TargetCpuPercent { get; init; }

    /// <summary>Requests per second per instance (0.1–100000).</summary>
    public double? TargetRps { get; init; }

    /// <summary>The app's p99 latency in milliseconds (1–600000).</summary>
    public double? TargetP99Ms { get; init; }

    /// <summary>Smallest flavor a vertical move may pick (with <see cref="MaxFlavor"/>; both or neither).</summary>
    public string? MinFlavor { get; init; }

    /// <summary>Largest flavor a vertical move may pick.</summary>
    public string? MaxFlavor { get; init; }

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (MinInstances is < 1 or > MaxInstancesLimit)
        {
            errors.Add(new FieldError("min-instances", Text(MinInstances), $"use a whole number from 1 to {MaxInstancesLimit}"));
        }

        if (MaxInstances is < 1 or > MaxInstancesLimit)
        {
            errors.Add(new FieldError("max-instances", Text(MaxInstances), $"use a whole number from 1 to {MaxInstancesLimit}"));
        }
        else if (MaxInstances < MinInstances)
        {
            errors.Add(new FieldError("max-instances", Text(MaxInstances), $"must be at least min-instances ({Text(MinInstances)})"));
        }

        Range(errors, "target-cpu", TargetCpuPercent, 1, 100, "a percentage of the flavor's CPU from 1 to 100");
        Range(errors, "target-rps", TargetRps, 0.1, 100_000, "requests per second per instance from 0.1 to 100000");
        Range(errors, "target-p99-ms", TargetP99Ms, 1, 600_000, "milliseconds from 1 to 600000");
        var low = Flavor(errors, "min-flavor", MinFlavor);
        var high = Flavor(errors, "max-flavor", MaxFlavor);
        if (low >= 0 && high >= 0 && high < low)
        {
            errors.Add(new FieldError("max-flavor", MaxFlavor, $"must be at least min-flavor ({MinFlavor}); flavors from small to large: {Flavors.Accepted}"));
        }

        if ((MinFlavor is null) != (MaxFlavor is null))
        {
            errors.Add(new FieldError(MinFlavor is null ? "min-flavor" : "max-flavor", null, "give both min-flavor and max-flavor for vertical scaling, or neither"));
        }
        else if (low >= 0 && high > low && TargetCpuPercent is null)
        {
            errors.Add(new FieldError("target-cpu", null, $"vertical scaling ({MinFlavor}–{MaxFlavor}) follows the CPU target: give target-cpu"));
        }

        if (TargetCpuPercent is null && TargetRps is null && TargetP99Ms is null && MinInstances != MaxInstances)
        {
            errors.Add(new FieldError("target-cpu", null, "give at least one target (target-cpu, target-rps or target-p99-ms), or min-instances = max-instances for a fixed count"));
        }

        return errors;
    }

    /// <summary>The flavor's rank from small to large (-1 when absent or unknown; unknown is reported).</summary>
    private static int Flavor(List<FieldError> errors, string field, string? name)
    {
        if (name is null)
        {
            return -1;
        }

        var rank = Flavors.All.ToList().FindIndex(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (rank < 0)
        {
            errors.Add(new FieldError(field, name, $"\"{name}\" is not a flavor; use one of: {Flavors.Accepted}"));
        }

        return rank;
    }

    private static void Range(List<FieldError> errors, string field, double? value, double min, double max, string accepted)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            errors.Add(new FieldError(field, v.ToString(CultureInfo.InvariantCulture), "use " + accepted));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Client;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>The autoscaling options of <c>nuage scale</c> (docs/autoscaling.md): a policy, <c>--autoscale off</c>, or nothing to show it.</summary>
internal sealed class AutoscaleOptionSet
{
    public Option<int?> MinInstances { get; } = new("--min-instances") { Description = "Autoscaling: never fewer instances (1-32)" };

    public Option<int?> MaxInstances { get; } = new("--max-instances") { Description = "Autoscaling: never more instances (min-32); min = max is a fixed count" };

    public Option<string?> MinFlavor { get; } = new("--min-flavor") { Description = "Autoscaling: smallest flavor a vertical move may pick (with --max-flavor; moves follow --target-cpu)" };

    public Option<string?> MaxFlavor { get; } = new("--max-flavor") { Description = "Autoscaling: largest flavor a vertical move may pick, once at max-instances" };

    public Option<double?> TargetCpu { get; } = new("--target-cpu") { Description = "Autoscaling target: average CPU per instance, % of its flavor (1-100)" };

    public Option<double?> TargetRps { get; } = new("--target-rps") { Description = "Autoscaling target: requests per second per instance (0.1-100000)" };

    public Option<double?> TargetP99 { get; } = new("--target-p99") { Description = "Autoscaling target: the app's p99 latency in ms (1-600000)" };

    public Option<string?> Autoscale { get; } = new("--autoscale") { Description = "'off' removes the autoscaling policy (the instance count stays as it is)" };

    public bool Given(ParseResult parse) =>
        parse.GetValue(MinInstances) is not null || parse.GetValue(MaxInstances) is not null || parse.GetValue(MinFlavor) is not null
        || parse.GetValue(MaxFlavor) is not null || parse.GetValue(TargetCpu) is not null || parse.GetValue(TargetRps) is not null
        || parse.GetValue(TargetP99) is not null || parse.GetValue(Autoscale) is not null;

    /// <summary>Sets, removes or (with no option) reads the policy.</summary>
    public async Task<AutoscaleDto> ApplyAsync(NuageClient client, string app, ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(Autoscale) is { } mode)
        {
            if (!string.Equals(mode, "off", StringComparison.OrdinalIgnoreCase))
            {
                throw CliException.Invalid($"--autoscale: \"{mode}\" is not accepted; use 'off' (a policy is turned on by --min-instances and --max-instances)");
            }

            if (parse.GetValue(MinInstances) is not null || parse.GetValue(MaxInstances) is not null)
            {
                throw CliException.Invalid("--autoscale off removes the policy: give it without --min-instances/--max-instances");
            }

            return await client.DeleteAutoscaleAsync(app, ct);
        }

        if (!Given(parse))
        {
            return await client.GetAutoscaleAsync(app, ct);
        }

        return await client.SetAutoscaleAsync(app, new AutoscaleRequest
        {
            MinInstances = parse.GetValue(MinInstances),
            MaxInstances = parse.GetValue(MaxInstances),
            MinFlavor = parse.GetValue(MinFlavor),
            MaxFlavor = parse.GetValue(MaxFlavor),
            TargetCpu = parse.GetValue(TargetCpu),
            TargetRps = parse.GetValue(TargetRps),
            TargetP99Ms = parse.GetValue(TargetP99),
        }, ct);
    }

    public static string Describe(AutoscaleDto policy)
    {
        if (!policy.Enabled)
        {
            return $"{policy.App}: {policy.Instances} × {policy.Flavor}, autoscaling off";
        }

        var targets = new List<string>();
        if (policy.TargetCpu is { } cpu)
        {
            targets.Add(string.Create(CultureInfo.InvariantCulture, $"cpu {cpu:0.##}%"));
        }

        if (policy.TargetRps is { } rps)
        {
            targets.Add(string.Create(CultureInfo.InvariantCulture, $"{rps:0.##} req/s per instance"));
        }

        if (policy.TargetP99Ms is { } p99)
        {
            targets.Add(string.Create(CultureInfo.InvariantCulture, $"p99 {p99:0.##} ms"));
        }

        var range = policy.MinInstances == policy.MaxInstances ? $"fixed at {policy.MinInstances}" : $"{policy.MinInstances}–{policy.MaxInstances} instances";
        var flavors = policy.MinFlavor is null && policy.MaxFlavor is null ? string.Empty : $", flavors {policy.MinFlavor ?? "-"}–{policy.MaxFlavor ?? "-"}";
        return $"{policy.App}: {policy.Instances} × {policy.Flavor}, autoscaling {range}{flavors}" + (targets.Count > 0 ? ", targets " + string.Join(", ", targets) : string.Empty);
    }
}

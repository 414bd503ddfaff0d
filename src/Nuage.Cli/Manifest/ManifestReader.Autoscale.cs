using Nuage.Core.Api;
using Nuage.Core.Apps;

namespace Nuage.Cli.Manifest;

internal sealed partial class ManifestReader
{
    private static readonly string[] AutoscaleKeys = ["enabled", "min_instances", "max_instances", "min_flavor", "max_flavor", "target_cpu", "target_rps", "target_p99_ms"];

    /// <summary>
    /// <c>[apps.NAME.autoscale]</c>: the app's autoscaling policy (absent: left as it is; <c>enabled = false</c>: off).
    /// Checked here field by field; the server checks the policy as a whole again when apply sets it.
    /// </summary>
    private AutoscaleManifest? ReadAutoscale(TomlTable app, string path)
    {
        if (!app.Entries.TryGetValue("autoscale", out var node))
        {
            return null;
        }

        path += ".autoscale";
        if (node is not TomlTable table)
        {
            Error(node, path, $"must be a table (min_instances, max_instances, target_cpu …), not {node.Kind}");
            return null;
        }

        Known(table, path, AutoscaleKeys);
        if (Bool(table, "enabled", path + ".enabled") == false)
        {
            return new AutoscaleManifest { Enabled = false };
        }

        var min = Instances("min_instances", required: true);
        var max = Instances("max_instances", required: true);
        if (min is { } low && max is { } high && high < low)
        {
            Error(table.Entries["max_instances"], path + ".max_instances", $"{high} is below min_instances ({low}); use a whole number from {low} to {MaxInstances}");
        }

        var minFlavor = Flavor("min_flavor");
        var maxFlavor = Flavor("max_flavor");
        if ((minFlavor is null) != (maxFlavor is null))
        {
            Error(table, path + (minFlavor is null ? ".min_flavor" : ".max_flavor"), "give both min_flavor and max_flavor for vertical scaling, or neither");
        }

        return new AutoscaleManifest
        {
            Policy = new AutoscaleRequest
            {
                MinInstances = min,
                MaxInstances = max,
                MinFlavor = minFlavor,
                MaxFlavor = maxFlavor,
                TargetCpu = Number("target_cpu", 1, 100, "a percentage of the flavor's CPU from 1 to 100"),
                TargetRps = Number("target_rps", 0.1, 100_000, "requests per second per instance from 0.1 to 100000"),
                TargetP99Ms = Number("target_p99_ms", 1, 600_000, "milliseconds from 1 to 600000"),
            },
        };

        int? Instances(string key, bool required)
        {
            if (!table.Entries.TryGetValue(key, out var value))
            {
                if (required)
                {
                    Error(table, path, $"\"{key}\" is required (a whole number from 1 to {MaxInstances})");
                }

                return null;
            }

            var count = Int(table, key, path + "." + key);
            if (count is < 1 or > MaxInstances)
            {
                Error(value, path + "." + key, $"{count} is out of range; use a whole number from 1 to {MaxInstances}");
                return null;
            }

            return (int?)count;
        }

        string? Flavor(string key)
        {
            var name = String(table, key, path + "." + key);
            if (name is not null && Flavors.Find(name) is null)
            {
                Error(table.Entries[key], path + "." + key, $"\"{name}\" is not a flavor; use one of: {Flavors.Accepted}");
                return null;
            }

            return Flavors.Find(name)?.Name;
        }

        double? Number(string key, double low, double high, string accepted)
        {
            if (!table.Entries.TryGetValue(key, out var value))
            {
                return null;
            }

            double? number = value is TomlScalar { Value: long whole } ? whole : value is TomlScalar { Value: double real } ? real : null;
            if (number is not { } n || double.IsNaN(n) || n < low || n > high)
            {
                Error(value, path + "." + key, $"{(value is TomlScalar s ? Convert.ToString(s.Value, System.Globalization.CultureInfo.InvariantCulture) : value.Kind)} is not accepted; use {accepted}");
                return null;
            }

            return n;
        }
    }
}

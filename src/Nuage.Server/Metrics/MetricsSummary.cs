using Nuage.Core.Api;

namespace Nuage.Server.Metrics;

/// <summary>Folds the exported families into the short view of <c>nuage metrics</c>.</summary>
internal static class MetricsSummary
{
    public static MetricsSummaryDto From(IReadOnlyList<MetricFamily> families, string? onlyApp)
    {
        var byName = families.ToDictionary(f => f.Name, StringComparer.Ordinal);
        IReadOnlyList<MetricSample> Samples(string name) => byName.TryGetValue(name, out var f) ? f.Samples : [];

        var appNames = families.SelectMany(f => f.Samples).Select(s => s.Label("app")).OfType<string>()
            .Where(a => onlyApp is null || a == onlyApp).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (onlyApp is not null && !appNames.Contains(onlyApp))
        {
            appNames.Add(onlyApp);
        }

        var apps = appNames.Select(app =>
        {
            var requests = Samples("nuage_router_requests_total").Where(s => s.Label("app") == app).ToList();
            var total = (long)requests.Sum(s => s.Value);
            var errors = (long)requests.Where(s => s.Label("status_class") == "5xx").Sum(s => s.Value);
            var buckets = Samples("nuage_router_request_duration_seconds").Where(s => s.Suffix == "_bucket" && s.Label("app") == app).ToList();
            var cpu = Samples("nuage_instance_cpu_seconds_total").Where(s => s.Label("app") == app).ToDictionary(s => s.Label("instance")!, s => s.Value);
            var memory = Samples("nuage_instance_memory_bytes").Where(s => s.Label("app") == app).ToDictionary(s => s.Label("instance")!, s => (long)s.Value);
            var limit = Samples("nuage_instance_memory_limit_bytes").Where(s => s.Label("app") == app).ToDictionary(s => s.Label("instance")!, s => (long)s.Value);
            var restarts = Samples("nuage_instance_restarts_total").Where(s => s.Label("app") == app).ToDictionary(s => s.Label("instance")!, s => (int)s.Value);
            var instances = Samples("nuage_instance_up").Where(s => s.Label("app") == app).Select(s => new InstanceMetricsDto
            {
                Instance = s.Label("instance")!,
                Status = s.Label("status") ?? "unknown",
                Restarts = restarts.GetValueOrDefault(s.Label("instance")!),
                CpuSeconds = cpu.GetValueOrDefault(s.Label("instance")!),
                MemoryBytes = memory.GetValueOrDefault(s.Label("instance")!),
                MemoryLimitBytes = limit.GetValueOrDefault(s.Label("instance")!),
            }).OrderBy(i => i.Instance, StringComparer.Ordinal).ToList();
            return new AppMetricsDto
            {
                App = app,
                Requests = total,
                Errors5xx = errors,
                ErrorRate = total > 0 ? (double)errors / total : null,
                P50Seconds = Quantile(buckets, 0.5),
                P99Seconds = Quantile(buckets, 0.99),
                Instances = instances,
            };
        }).ToList();

        return new MetricsSummaryDto
        {
            Apps = apps,
            LogLinesIngested = (long)Samples("nuage_logs_lines_ingested_total").Where(s => onlyApp is null || s.Label("app") == onlyApp).Sum(s => s.Value),
            LogLinesDropped = (long)Samples("nuage_logs_lines_dropped_total").Where(s => onlyApp is null || s.Label("app") == onlyApp).Sum(s => s.Value),
        };
    }

    /// <summary>The upper bound of the first bucket holding the quantile (cumulative buckets summed over series).</summary>
    internal static double? Quantile(IReadOnlyList<MetricSample> buckets, double q)
    {
        var bounds = buckets.GroupBy(b => b.Label("le")!)
            .Select(g => (Le: g.Key == "+Inf" ? double.PositiveInfinity : double.Parse(g.Key, System.Globalization.CultureInfo.InvariantCulture), Count: g.Sum(b => b.Value)))
            .OrderBy(b => b.Le).ToList();
        var total = bounds.Count > 0 ? bounds[^1].Count : 0;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        var hit = bounds.First(b => b.Count >= rank);
        return double.IsPositiveInfinity(hit.Le) ? bounds.Where(b => !double.IsPositiveInfinity(b.Le)).Select(b => b.Le).DefaultIfEmpty(0).Max() : hit.Le;
    }
}

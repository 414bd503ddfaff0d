using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Instances;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Server.Apps;

namespace Nuage.Server.Metrics;

/// <summary>
/// What /metrics exports: the router, log and deployment meters (through <see cref="MeterCollector"/>) plus
/// per-instance CPU, memory and restarts read from the scheduler at scrape time. The <c>app</c> label is the app's
/// name, <c>app_id</c> its id.
/// </summary>
internal sealed class MetricsService(MeterCollector collector, IInstanceScheduler scheduler, IStateStore store, AppService apps, Addons.AddonServers addonServers, Addons.AddonMonitor addonMonitor)
{
    public async Task<string> PrometheusAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading metrics");
        return PrometheusText.Write(await CollectAsync(caller.OrgId, cancellationToken));
    }

    public Task<IReadOnlyList<MetricFamily>> CollectAsync(CancellationToken cancellationToken) => CollectAsync(null, cancellationToken);

    /// <summary>Every family; narrowed to one organisation's apps (and no platform-wide samples) when <paramref name="orgId"/> is set.</summary>
    public async Task<IReadOnlyList<MetricFamily>> CollectAsync(string? orgId, CancellationToken cancellationToken)
    {
        var names = await AppNamesAsync(orgId, cancellationToken);
        var families = collector.Collect().Concat(SchedulerFamilies())
            .Select(f => orgId is null ? f : f with { Samples = [.. f.Samples.Where(s => s.Label("app") is { } id && names.ContainsKey(id))] })
            .Select(f => f with { Samples = [.. f.Samples.Select(s => WithAppName(s, names))] })
            .Concat(await AddonFamiliesAsync(orgId, cancellationToken))
            .Where(f => f.Samples.Count > 0 || f.Type != "gauge")
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        return [.. families];
    }

    public async Task<MetricsSummaryDto> SummaryAsync(Caller caller, string? appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading metrics");
        AppConfig? only = appName is null ? null : await apps.FindAsync(caller, appName, cancellationToken);
        var families = await CollectAsync(caller.OrgId, cancellationToken);
        return MetricsSummary.From(families, only?.Name);
    }

    private IEnumerable<MetricFamily> SchedulerFamilies()
    {
        var cpu = new List<MetricSample>();
        var memory = new List<MetricSample>();
        var limit = new List<MetricSample>();
        var restarts = new List<MetricSample>();
        var up = new List<MetricSample>();
        foreach (var instance in scheduler.List())
        {
            List<KeyValuePair<string, string>> labels = [new("app", instance.AppId), new("deployment", instance.DeploymentId), new("instance", instance.InstanceId)];
            restarts.Add(new MetricSample(string.Empty, labels, instance.Restarts));
            up.Add(new MetricSample(string.Empty, [.. labels, new("status", instance.Status.ToString().ToLowerInvariant())], instance.IsLive ? 1 : 0));
            if (scheduler.GetUsage(instance.InstanceId) is { } usage)
            {
                cpu.Add(new MetricSample(string.Empty, labels, usage.CpuSeconds));
                memory.Add(new MetricSample(string.Empty, labels, usage.MemoryBytes));
                if (usage.MemoryLimitBytes > 0)
                {
                    limit.Add(new MetricSample(string.Empty, labels, usage.MemoryLimitBytes));
                }
            }
        }

        yield return new MetricFamily("nuage_instance_cpu_seconds_total", "counter", "CPU time used by the instance's cgroup.", cpu);
        yield return new MetricFamily("nuage_instance_memory_bytes", "gauge", "Memory used by the instance's cgroup.", memory);
        yield return new MetricFamily("nuage_instance_memory_limit_bytes", "gauge", "Memory limit of the instance's cgroup.", limit);
        yield return new MetricFamily("nuage_instance_restarts_total", "counter", "Times the supervisor restarted the instance.", restarts);
        yield return new MetricFamily("nuage_instance_up", "gauge", "1 while the instance's process is alive, by status.", up);
    }

    /// <summary>Per add-on (labels addon, addon_id, type): up, memory, data size, disk quota, over quota, connections; narrowed to one organisation's add-ons.</summary>
    private async Task<IEnumerable<MetricFamily>> AddonFamiliesAsync(string? orgId, CancellationToken cancellationToken)
    {
        var up = new List<MetricSample>();
        var memory = new List<MetricSample>();
        var disk = new List<MetricSample>();
        var quota = new List<MetricSample>();
        var over = new List<MetricSample>();
        var connections = new List<MetricSample>();
        foreach (var addon in await store.Addons.ListAsync(cancellationToken))
        {
            if (orgId is not null && addon.OrgId != orgId)
            {
                continue;
            }

            List<KeyValuePair<string, string>> labels = [new("addon", addon.Name), new("addon_id", addon.Id), new("type", addon.Type)];
            up.Add(new MetricSample(string.Empty, labels, addonServers.State(addon.Id)?.Status == InstanceStatus.Running ? 1 : 0));
            quota.Add(new MetricSample(string.Empty, labels, addonMonitor.QuotaOf(addon)));
            if (addonServers.Usage(addon.Id) is { } usage)
            {
                memory.Add(new MetricSample(string.Empty, labels, usage.MemoryBytes));
            }

            if (addonMonitor.Last(addon.Id) is { } check)
            {
                disk.Add(new MetricSample(string.Empty, labels, check.DiskBytes));
                over.Add(new MetricSample(string.Empty, labels, check.OverQuota ? 1 : 0));
                if (check.Connections is { } open)
                {
                    connections.Add(new MetricSample(string.Empty, labels, open));
                }
            }
        }

        return
        [
            new MetricFamily("nuage_addon_up", "gauge", "1 while the add-on's server runs.", up),
            new MetricFamily("nuage_addon_memory_bytes", "gauge", "Memory used by the add-on server's cgroup.", memory),
            new MetricFamily("nuage_addon_disk_bytes", "gauge", "Size of the add-on's data folder at the last check.", disk),
            new MetricFamily("nuage_addon_disk_quota_bytes", "gauge", "The add-on's disk quota (soft, checked periodically).", quota),
            new MetricFamily("nuage_addon_over_quota", "gauge", "1 while the add-on's data is over its disk quota (writes refused where the engine allows).", over),
            new MetricFamily("nuage_addon_connections", "gauge", "Client connections open on the add-on's server at the last check.", connections),
        ];
    }

    private async Task<Dictionary<string, string>> AppNamesAsync(string? orgId, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = orgId is null
                ? await store.Apps.ListAsync(after, 200, cancellationToken)
                : await store.Apps.ListInOrgAsync(orgId, after, 200, cancellationToken);
            foreach (var app in page)
            {
                names[app.Id] = app.Name;
            }

            if (page.Count < 200)
            {
                return names;
            }

            after = page[^1].Name;
        }
    }

    private static MetricSample WithAppName(MetricSample sample, Dictionary<string, string> names)
    {
        if (sample.Label("app") is not { } id)
        {
            return sample;
        }

        var labels = sample.Labels.Where(l => l.Key != "app").ToList();
        labels.Add(new("app", names.GetValueOrDefault(id, id)));
        labels.Add(new("app_id", id));
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return sample with { Labels = labels };
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// The periodic add-on check with real servers: the disk quota (a tiny one set by the test) refusing PostgreSQL
/// writes and lifted when the quota is raised, connections and sizes in status and /metrics, and the platform event
/// a linked app gets when its add-on's server dies.
/// </summary>
public sealed class AddonObservabilityTests
{
    [Fact]
    public async Task PostgresOverDiskQuota_StatusOverQuota_WritesRefused_ReadsWork_LiftedOnceUnder()
    {
        await using var server = await RunningServer.StartAsync(o => o with
        {
            InsecureHostNetwork = true,
            AddonCheckInterval = TimeSpan.FromSeconds(1),
            AddonDiskQuotaBytes = 1024 * 1024, // a fresh PostgreSQL cluster is ~40 MB: over at once
        });
        await CreateAsync(server, "quota-db", "postgresql");
        var credentials = await CredentialsAsync(server, "quota-db");
        using var http = server.Http();
        JsonElement status = default;
        await UntilAsync(async () => (status = await http.GetFromJsonAsync<JsonElement>("v1/addons/quota-db")).GetProperty("status").GetString() == "over_quota", "status over_quota");
        Assert.True(status.GetProperty("diskBytes").GetInt64() > 1024 * 1024, status.GetRawText());
        Assert.Equal(1024 * 1024, status.GetProperty("diskQuotaBytes").GetInt64());
        var text = await server.Cli().RunAsync("addon", "status", "quota-db");
        Assert.Contains("over_quota", text.Output, StringComparison.Ordinal);
        Assert.Contains("of 1.0 MiB (soft quota)", text.Output, StringComparison.Ordinal);

        var refused = await PsqlAsync(credentials, "CREATE TABLE t (v int);");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("read-only transaction", refused.Output, StringComparison.Ordinal);
        Assert.Equal("1", (await PsqlAsync(credentials, "SELECT 1;")).Output.Trim());
        var metrics = await http.GetStringAsync("metrics");
        Assert.Matches(new Regex("nuage_addon_over_quota\\{[^}]*addon=\"quota-db\"[^}]*\\} 1"), metrics);
        Assert.Matches(new Regex("nuage_addon_disk_bytes\\{[^}]*addon=\"quota-db\"[^}]*\\} [1-9]"), metrics);
        Assert.Matches(new Regex("nuage_addon_disk_quota_bytes\\{[^}]*addon=\"quota-db\"[^}]*\\} 1048576"), metrics);

        // The operator raises the quota: the first check after the restart lifts the read-only switch.
        await server.RestartAsync(o => o with { AddonDiskQuotaBytes = 1024L * 1024 * 1024 });
        using var after = server.Http();
        await UntilAsync(async () => (await after.GetFromJsonAsync<JsonElement>("v1/addons/quota-db")).TryGetProperty("checkedAt", out _), "a check after the restart");
        Assert.Equal("running", (await after.GetFromJsonAsync<JsonElement>("v1/addons/quota-db")).GetProperty("status").GetString());
        var allowed = await PsqlAsync(credentials, "CREATE TABLE t (v int); INSERT INTO t VALUES (1);");
        Assert.True(allowed.Code == 0, allowed.Output);
        Assert.Matches(new Regex("nuage_addon_over_quota\\{[^}]*addon=\"quota-db\"[^}]*\\} 0"), await after.GetStringAsync("metrics"));
    }

    [Fact]
    public async Task RedisServerKilled_LinkedAppGetsPlatformEvents_ConnectionsAndUpInStatusAndMetrics()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true, AddonCheckInterval = TimeSpan.FromSeconds(1) });
        await CreateAsync(server, "cache", "redis");
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("addon", "link", "cache", "--app", "web")).ExitCode);
        var credentials = await CredentialsAsync(server, "cache");
        using var http = server.Http();

        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(credentials["REDIS_HOST"], int.Parse(credentials["REDIS_PORT"], System.Globalization.CultureInfo.InvariantCulture));
        await second.ConnectAsync(credentials["REDIS_HOST"], int.Parse(credentials["REDIS_PORT"], System.Globalization.CultureInfo.InvariantCulture));
        await UntilAsync(async () => (await http.GetFromJsonAsync<JsonElement>("v1/addons/cache")).TryGetProperty("connections", out var c) && c.GetInt32() >= 2, "two connections counted");
        var metrics = await http.GetStringAsync("metrics");
        Assert.Matches(new Regex("nuage_addon_up\\{[^}]*addon=\"cache\"[^}]*\\} 1"), metrics);
        Assert.Matches(new Regex("nuage_addon_connections\\{[^}]*addon=\"cache\"[^}]*\\} [2-9]"), metrics);
        Assert.Contains("clients:  ", (await cli.RunAsync("addon", "status", "cache")).Output, StringComparison.Ordinal);

        var pid = (await http.GetFromJsonAsync<JsonElement>("v1/addons/cache")).GetProperty("pid").GetInt32();
        Process.GetProcessById(pid).Kill();
        await UntilAsync(async () => (await cli.RunAsync("logs", "--app", "web", "--source", "platform")).Output.Contains("Add-on cache's server crashed", StringComparison.Ordinal), "the crash event in the linked app's log");
        await UntilAsync(async () => (await cli.RunAsync("logs", "--app", "web", "--source", "platform")).Output.Contains("Add-on cache's server runs again", StringComparison.Ordinal), "the recovery event");
        Assert.Equal("running", (await http.GetFromJsonAsync<JsonElement>("v1/addons/cache")).GetProperty("status").GetString());
    }
}

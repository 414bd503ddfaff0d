using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Usage;

/// <summary>
/// Spending ceilings on a real server with a real app: a price list where one nano instance costs 1 EUR a second and
/// a ceiling of 10 EUR, checked every second, so the 80 % and 100 % warnings and the hard stop follow within seconds.
/// </summary>
public sealed class BudgetTests
{
    [Fact]
    public async Task CeilingReached_WarnsAt80And100Percent_InAuditAndAppLogs_AndHardStopStopsTheApp()
    {
        using var prices = new TempDirectory();
        var file = prices.Combine("prices.json");
        await File.WriteAllTextAsync(file, """{ "currency": "EUR", "flavors": { "nano": 3600 } }""");
        await using var server = await RunningServer.StartAsync(o => o with { Usage = o.Usage with { PricesFile = file, CheckpointInterval = TimeSpan.FromSeconds(1) } });
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "spender", runtime = "node" })).EnsureSuccessStatusCode();

        var refused = await http.PutAsJsonAsync("v1/orgs/default/budget", new { monthly = -5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_budget", problem.GetProperty("code").GetString());
        Assert.Equal("monthly", problem.GetProperty("errors")[0].GetProperty("field").GetString());

        (await http.PutAsJsonAsync("v1/orgs/default/budget", new { monthly = 10, hardStop = true })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "spender", Deployer.Example("node"));

        // Bounded wait (up to 2 minutes) for the hard stop: the app is stopped by the platform.
        JsonElement app = default;
        for (var i = 0; i < 240; i++)
        {
            app = JsonDocument.Parse(await http.GetStringAsync("v1/apps/spender")).RootElement;
            if (app.GetProperty("status").GetString() == "stopped")
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(app.GetProperty("status").GetString() == "stopped", "the hard stop did not stop the app: " + app);
        var budget = JsonDocument.Parse(await http.GetStringAsync("v1/orgs/default/budget")).RootElement;
        Assert.Equal(100, budget.GetProperty("warnedLevel").GetInt32());
        Assert.True(budget.GetProperty("spent").GetDecimal() >= 10m);

        // The audit entry follows the stop (it records its outcome): wait for it too, bounded.
        var audit = await http.GetStringAsync("v1/audit?org=default&limit=500");
        for (var i = 0; i < 60 && !audit.Contains("\"action\":\"budget.hard_stop\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(500);
            audit = await http.GetStringAsync("v1/audit?org=default&limit=500");
        }

        Assert.Contains("\"action\":\"budget.warning\",\"target\":\"default\",\"requestId\":\"budget-80\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"requestId\":\"budget-100\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"budget.hard_stop\",\"target\":\"spender\"", audit, StringComparison.Ordinal);

        var logs = await http.GetStringAsync("v1/apps/spender/logs?source=platform&since=1h&limit=1000");
        Assert.Contains("Spending at 80 % of the ceiling for organisation default", logs, StringComparison.Ordinal);
        Assert.Contains("Spending ceiling reached for organisation default", logs, StringComparison.Ordinal);

        // Each warning is raised once a month, however many checks follow.
        await Task.Delay(3000);
        var again = await http.GetStringAsync("v1/audit?org=default&limit=500");
        Assert.Equal(1, Count(again, "\"requestId\":\"budget-80\""));
        Assert.Equal(1, Count(again, "\"requestId\":\"budget-100\""));
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

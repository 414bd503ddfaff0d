using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Autoscale;

/// <summary>
/// The autoscaler on a real server with real node instances, real cgroup CPU accounting and real load through the
/// router on loopback. Timings are shortened (<see cref="AutoscaleWorld.Fast"/>); every wait is bounded.
/// </summary>
public sealed class AutoscaleTests
{
    [Fact]
    public async Task CpuLoad_ScalesOutAndHoldsSteady_ThenScalesInAfterTheCooldown_WithoutAFailedRequest()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Autoscale = AutoscaleWorld.Fast });
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "busy", runtime = "node" })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "busy", AutoscaleWorld.App(server, "busy"));
        var set = await server.Cli().RunAsync("scale", "--app", "busy", "--min-instances", "1", "--max-instances", "2", "--target-cpu", "50", "--json");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(JsonDocument.Parse(set.Output).RootElement.GetProperty("enabled").GetBoolean(), set.Output);

        // Step load: three loops of CPU-heavy requests. The single nano instance (half a core) saturates.
        var load = new LoadLoop(server, "busy", "/work", workers: 3);
        await using (load)
        {
            var scaledOut = await AutoscaleWorld.UntilAsync(
                async () => await AutoscaleWorld.WebInstancesAsync(http, "busy") == 2 && AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "busy"), "scale-out").Any(),
                TimeSpan.FromSeconds(90));
            Assert.True(scaledOut, "no scale-out under load: " + await AutoscaleWorld.PolicyAsync(http, "busy"));

            // Steady load after the scale-out: the count stays (no flapping) for well over the scale-down window.
            await Task.Delay(TimeSpan.FromSeconds(10));
            Assert.Equal(2, await AutoscaleWorld.WebInstancesAsync(http, "busy"));
            await load.StopAsync();
            Assert.True(load.Failures.IsEmpty, $"failed requests during the scale-out ({load.Ok} ok): " + string.Join("; ", load.Failures.Take(5)));
            Assert.True(load.Ok > 0);
        }

        // Light traffic keeps flowing while the autoscaler drains and stops the second instance.
        var probe = new LoadLoop(server, "busy", "/", workers: 1, pause: TimeSpan.FromMilliseconds(20));
        JsonElement policy;
        await using (probe)
        {
            var scaledIn = await AutoscaleWorld.UntilAsync(
                async () => await AutoscaleWorld.WebInstancesAsync(http, "busy") == 1 && AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "busy"), "scale-in").Any(),
                TimeSpan.FromSeconds(90));
            policy = await AutoscaleWorld.PolicyAsync(http, "busy");
            Assert.True(scaledIn, "no scale-in after the load stopped: " + policy);
            await probe.StopAsync();
            Assert.True(probe.Failures.IsEmpty, $"failed requests during the scale-in ({probe.Ok} ok): " + string.Join("; ", probe.Failures.Take(5)));
            Assert.True(probe.Ok > 0);
        }

        // One change each way (no flapping), the scale-in no sooner than the cooldown after the scale-out.
        var outs = AutoscaleWorld.Decisions(policy, "scale-out").ToList();
        var ins = AutoscaleWorld.Decisions(policy, "scale-in").ToList();
        Assert.Single(outs);
        Assert.Single(ins);
        Assert.Contains("cpu", outs[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(ins[0].GetProperty("at").GetDateTimeOffset() - outs[0].GetProperty("at").GetDateTimeOffset() >= AutoscaleWorld.Fast.ScaleDownCooldown, policy.ToString());
        Assert.Equal(1, policy.GetProperty("instances").GetInt32()); // the desired count follows, for the next deploy

        // Every change is an event: the app's log stream, the audit trail, /metrics.
        var logs = await http.GetStringAsync("v1/apps/busy/logs?source=platform&since=1h&limit=1000");
        Assert.Contains("Autoscaler: scaled out from 1 instance to 2", logs, StringComparison.Ordinal);
        Assert.Contains("Autoscaler: scaled in from 2 instances to 1", logs, StringComparison.Ordinal);
        var audit = await http.GetStringAsync("v1/audit?org=default&limit=500");
        Assert.Contains("\"action\":\"autoscale.scale_out\",\"target\":\"busy\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"autoscale.scale_in\",\"target\":\"busy\"", audit, StringComparison.Ordinal);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("nuage_autoscale_decisions_total{", StringComparison.Ordinal) && l.Contains("app=\"busy\"", StringComparison.Ordinal) && l.Contains("direction=\"out\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CpuLoadAtMaxInstances_ResizesUpThroughTheHealthGatedSwitch_ThenDownWhenIdle_WithoutAFailedRequest()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Autoscale = AutoscaleWorld.Fast });
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "grow", runtime = "node" })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "grow", AutoscaleWorld.App(server, "grow"));
        (await http.PutAsJsonAsync("v1/apps/grow/autoscale", new { minInstances = 1, maxInstances = 1, minFlavor = "nano", maxFlavor = "XS", targetCpu = 50 })).EnsureSuccessStatusCode();

        // One nano instance (half a core) saturated, and max-instances reached: the next flavor, XS (one core).
        var load = new LoadLoop(server, "grow", "/work", workers: 3);
        await using (load)
        {
            var grown = await AutoscaleWorld.UntilAsync(async () => await FlavorAsync(http) == "XS" && AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "grow"), "resize-up").Any(), TimeSpan.FromSeconds(120));
            Assert.True(grown, "no resize up under load: " + await AutoscaleWorld.PolicyAsync(http, "grow"));
            await load.StopAsync();
            Assert.True(load.Failures.IsEmpty, $"failed requests during the resize ({load.Ok} ok): " + string.Join("; ", load.Failures.Take(5)));
        }

        // Idle on XS: nano would do, so it goes back, again through a deployment, while light traffic flows.
        var probe = new LoadLoop(server, "grow", "/", workers: 1, pause: TimeSpan.FromMilliseconds(20));
        JsonElement policy;
        await using (probe)
        {
            var shrunk = await AutoscaleWorld.UntilAsync(async () => await FlavorAsync(http) == "nano" && AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "grow"), "resize-down").Any(), TimeSpan.FromSeconds(120));
            policy = await AutoscaleWorld.PolicyAsync(http, "grow");
            Assert.True(shrunk, "no resize down when idle: " + policy);
            await probe.StopAsync();
            Assert.True(probe.Failures.IsEmpty, $"failed requests during the resize down ({probe.Ok} ok): " + string.Join("; ", probe.Failures.Take(5)));
        }

        var up = Assert.Single(AutoscaleWorld.Decisions(policy, "resize-up"));
        Assert.Equal(("nano", "XS"), (up.GetProperty("fromFlavor").GetString(), up.GetProperty("toFlavor").GetString()));
        Assert.Contains("at max-instances (1) → flavor XS", up.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(await AutoscaleWorld.UntilAsync(async () => await AutoscaleWorld.WebInstancesAsync(http, "grow") == 1, TimeSpan.FromSeconds(30)), "the XS instance did not stop after its drain");
        var deployments = await http.GetFromJsonAsync<JsonElement>("v1/apps/grow/deployments");
        Assert.Equal(3, deployments.GetProperty("items").GetArrayLength()); // the deploy, then one restart per flavor change
        var logs = await http.GetStringAsync("v1/apps/grow/logs?source=platform&since=1h&limit=1000");
        Assert.Contains("Autoscaler: resized from nano to XS", logs, StringComparison.Ordinal);
        Assert.Contains("Autoscaler: resized from XS to nano", logs, StringComparison.Ordinal);
        var audit = await http.GetStringAsync("v1/audit?org=default&limit=500");
        Assert.Contains("\"action\":\"autoscale.resize_up\",\"target\":\"grow\"", audit, StringComparison.Ordinal);
    }

    private static async Task<string?> FlavorAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("v1/apps/grow")).GetProperty("flavor").GetString();

    [Fact]
    public async Task FixedCountTheCeilingCannotPay_StaysAtOneInstanceAndSaysWhy_BadPoliciesAreRefusedNamingTheField()
    {
        using var prices = new TempDirectory();
        var file = prices.Combine("prices.json");
        await File.WriteAllTextAsync(file, """{ "currency": "EUR", "flavors": { "nano": 1000 } }""");
        await using var server = await RunningServer.StartAsync(o => o with { Autoscale = AutoscaleWorld.Fast, Usage = o.Usage with { PricesFile = file } });
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "thrifty", runtime = "node" })).EnsureSuccessStatusCode();

        // Bad input: exit 2 / 422 naming each field.
        var cli = server.Cli();
        foreach (var (args, field) in new[]
        {
            (new[] { "--min-instances", "3", "--max-instances", "2", "--target-cpu", "50" }, "max-instances"),
            (["--min-instances", "1", "--max-instances", "2", "--min-flavor", "huge", "--target-cpu", "50"], "min-flavor"),
            (["--min-instances", "1", "--max-instances", "2", "--target-cpu", "0"], "target-cpu"),
            (["--min-instances", "1", "--max-instances", "2", "--target-p99", "0"], "target-p99-ms"),
        })
        {
            var refused = await cli.RunAsync(["scale", "--app", "thrifty", .. args]);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains(field, refused.Error, StringComparison.Ordinal);
        }

        var problem = await http.PutAsJsonAsync("v1/apps/thrifty/autoscale", new { minInstances = 2, maxInstances = 1, targetRps = 5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.StatusCode);
        Assert.Contains("\"field\":\"max-instances\"", await problem.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A ceiling that cannot pay for a second instance: warned when the policy is set.
        (await http.PutAsJsonAsync("v1/orgs/default/budget", new { monthly = 1 })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "thrifty", AutoscaleWorld.App(server, "thrifty"));
        var set = await cli.RunAsync("scale", "--app", "thrifty", "--min-instances", "2", "--max-instances", "2");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("warning: the organisation's spending ceiling affords", set.Error, StringComparison.Ordinal);

        // The fixed count asks for 2; the ceiling keeps it at 1, and the autoscaler says so.
        var held = await AutoscaleWorld.UntilAsync(
            async () => AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "thrifty"), "hold").Any(d => d.GetProperty("reason").GetString()!.Contains("the spending ceiling affords 1", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60));
        Assert.True(held, "no hold for the ceiling: " + await AutoscaleWorld.PolicyAsync(http, "thrifty"));
        await Task.Delay(TimeSpan.FromSeconds(5)); // several more evaluations
        Assert.Equal(1, await AutoscaleWorld.WebInstancesAsync(http, "thrifty"));
        Assert.Empty(AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "thrifty"), "scale-out"));
        var logs = await http.GetStringAsync("v1/apps/thrifty/logs?source=platform&since=1h&limit=1000");
        Assert.Contains("Autoscaler: staying at 1 instance", logs, StringComparison.Ordinal);
        Assert.Contains("spending ceiling", logs, StringComparison.Ordinal);

        // A manual count outside the policy's range is refused while the policy is on.
        var manual = await cli.RunAsync("scale", "--app", "thrifty", "--instances", "3");
        Assert.True(manual.ExitCode == 2, manual.ToString());
        Assert.Contains("autoscaling is on", manual.Error, StringComparison.Ordinal);

        // Off: the policy goes, the count stays.
        var off = await cli.RunAsync("scale", "--app", "thrifty", "--autoscale", "off", "--json");
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.False(JsonDocument.Parse(off.Output).RootElement.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task ScaleOutWhoseInstanceFailsItsHealthCheck_IsRecordedWithTheReason_BacksOff_AndTheAppKeepsServing()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Autoscale = AutoscaleWorld.Fast });
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "flaky", runtime = "node" })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "flaky", AutoscaleWorld.App(server, "flaky", failFrom: 1));
        (await http.PutAsJsonAsync("v1/apps/flaky/autoscale", new { minInstances = 2, maxInstances = 2 })).EnsureSuccessStatusCode();

        var failed = await AutoscaleWorld.UntilAsync(
            async () => AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "flaky"), "scale-out-failed").Any(),
            TimeSpan.FromSeconds(90));
        var policy = await AutoscaleWorld.PolicyAsync(http, "flaky");
        Assert.True(failed, "no failed scale-out recorded: " + policy);
        var reason = AutoscaleWorld.Decisions(policy, "scale-out-failed").First().GetProperty("reason").GetString()!;
        Assert.Contains("refuses to start", reason, StringComparison.Ordinal); // the instance's own error output

        // Backed off: no second attempt within the back-off (20 s); the app serves from its first instance.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "flaky"), "scale-out-failed"));
        Assert.Equal(1, await AutoscaleWorld.WebInstancesAsync(http, "flaky"));
        var (status, body) = await Deployer.GetAppAsync(server, "flaky");
        Assert.Equal((200, "ok 0"), (status, body));
        var logs = await http.GetStringAsync("v1/apps/flaky/logs?source=platform&since=1h&limit=1000");
        Assert.Contains("Autoscaler: scale-out from 1 instance to 2 failed", logs, StringComparison.Ordinal);
    }
}

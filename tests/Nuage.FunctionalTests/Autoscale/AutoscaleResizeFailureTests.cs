using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Autoscale;

/// <summary>
/// A vertical move whose new instances fail their health check, driven end to end: real server, real node instances,
/// real CPU load through the router. The platform tells an instance nothing about its flavor (no variable, no /sys in
/// the sandbox), so the app is armed through a file in its data folder instead: every instance started after that —
/// here, only the resize's XS instances — answers 500 to everything, its health check included.
/// </summary>
public sealed class AutoscaleResizeFailureTests
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task ResizeWhoseInstancesFailTheirHealthCheck_PutsTheFlavorBack_BacksOff_AndTheOldInstanceServesEveryRequest()
    {
        await using var server = await RunningServer.StartAsync(o => o with
        {
            Autoscale = AutoscaleWorld.Fast with { FailureBackoff = Backoff },
            Deployments = o.Deployments with { HealthTimeout = TimeSpan.FromSeconds(5) },
        });
        using var http = server.Http();
        var cli = server.Cli();
        (await http.PostAsJsonAsync("v1/apps", new { name = "stuck", runtime = "node" })).EnsureSuccessStatusCode();
        var env = await cli.RunAsync("env", "set", "CC_HEALTH_CHECK_PATH", "/health", "--app", "stuck");
        Assert.True(env.ExitCode == 0, env.ToString());
        await Deployer.DeployOkAsync(server, "stuck", AutoscaleWorld.App(server, "stuck", armable: true));
        var original = Assert.Single(await WebAsync(http));
        Assert.Equal((200, "armed"), await Deployer.GetAppAsync(server, "stuck", "/arm"));
        (await http.PutAsJsonAsync("v1/apps/stuck/autoscale", new { minInstances = 1, maxInstances = 1, minFlavor = "nano", maxFlavor = "XS", targetCpu = 50 })).EnsureSuccessStatusCode();

        // One nano instance saturated at max-instances: the autoscaler tries XS twice (the second after the back-off).
        var load = new LoadLoop(server, "stuck", "/work", workers: 3);
        JsonElement policy;
        List<JsonElement> restarts;
        JsonElement? third = null;
        await using (load)
        {
            var failedTwice = await AutoscaleWorld.UntilAsync(
                async () => AutoscaleWorld.Decisions(await AutoscaleWorld.PolicyAsync(http, "stuck"), "resize-failed").Count() >= 2,
                TimeSpan.FromSeconds(150));
            policy = await AutoscaleWorld.PolicyAsync(http, "stuck");
            Assert.True(failedTwice, "no two failed resizes under load: " + policy);

            // Read at once: the next attempt cannot start before the doubled back-off.
            Assert.Equal("nano", await FlavorAsync(http));
            var status = await cli.RunAsync("status", "--app", "stuck", "--json");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal("nano", JsonDocument.Parse(status.Output).RootElement.GetProperty("flavor").GetString());
            restarts = await RestartsAsync(cli);
            Assert.Equal(2, restarts.Count); // one deployment per attempt: no retry storm
            var web = Assert.Single(await WebAsync(http)); // the XS instances did not leak
            Assert.Equal((Id(original), Pid(original)), (Id(web), Pid(web)));

            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains(metrics.Split('\n'), l => l.StartsWith("nuage_autoscale_decisions_total{", StringComparison.Ordinal) && l.Contains("direction=\"failed\"", StringComparison.Ordinal));

            // The third attempt, after the doubled back-off, is cut short by a server restart while its deployment runs.
            Assert.True(
                await AutoscaleWorld.UntilAsync(async () => (third = await RunningRestartAsync(http)) is not null, TimeSpan.FromSeconds(60)),
                "no third attempt after the back-off: " + await AutoscaleWorld.PolicyAsync(http, "stuck"));
            Assert.Equal("XS", await FlavorAsync(http)); // the attempt's desired flavor, while its deployment runs
            await load.StopAsync();
            Assert.True(load.Failures.IsEmpty, $"failed requests during the failed resizes ({load.Ok} ok): " + string.Join("; ", load.Failures.Take(5)));
            Assert.True(load.Ok > 0);
        }

        await server.RestartAsync();
        using var again = server.Http();
        Assert.Equal("nano", await FlavorAsync(again)); // put back at the stop: the nano instance still serves
        var adopted = Assert.Single(await WebAsync(again));
        Assert.Equal((Id(original), Pid(original)), (Id(adopted), Pid(adopted)));
        var interrupted = (await RestartsAsync(server.Cli())).Single(d => d.GetProperty("id").GetString() == third!.Value.GetProperty("id").GetString());
        Assert.NotEqual("succeeded", interrupted.GetProperty("state").GetString());
        Assert.Equal(1, policy.GetProperty("instances").GetInt32());
        Assert.Equal("nano", policy.GetProperty("flavor").GetString());

        // Each attempt is recorded with its reason: decisions, `nuage activity`, the app's log stream, the audit trail.
        var failures = AutoscaleWorld.Decisions(policy, "resize-failed").Reverse().ToList(); // oldest first
        foreach (var failure in failures)
        {
            Assert.Equal(("nano", "XS"), (failure.GetProperty("fromFlavor").GetString(), failure.GetProperty("toFlavor").GetString()));
            Assert.Contains("health-check", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.All(restarts, d => Assert.Equal("failed", d.GetProperty("state").GetString()));
        Assert.All(restarts, d => Assert.Contains("GET /health answered 500", d.GetProperty("failureReason").GetString(), StringComparison.Ordinal));
        Assert.Contains(restarts[0].GetProperty("id").GetString()!, failures[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(restarts[1].GetProperty("id").GetString()!, failures[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Backed off, by the server's own timestamps: the second attempt started no sooner than the back-off after the
        // first failure, and the back-off doubled. Meanwhile the autoscaler said it was backing off.
        var firstFailed = At(failures[0], "at");
        Assert.True(At(restarts[1], "createdAt") - firstFailed >= Backoff, $"second attempt {At(restarts[1], "createdAt"):O} within {Backoff} of the first failure {firstFailed:O}");
        Assert.True(At(failures[1], "at") - firstFailed >= Backoff, policy.ToString());
        Assert.Contains(AutoscaleWorld.Decisions(policy, "hold"), d => d.GetProperty("reason").GetString()!.Contains("backing off after a failed change", StringComparison.Ordinal));
        var logs = await again.GetStringAsync("v1/apps/stuck/logs?source=platform&since=1h&limit=1000");
        Assert.Contains(Retrying(Backoff), logs, StringComparison.Ordinal);
        Assert.Contains(Retrying(Backoff * 2), logs, StringComparison.Ordinal);
        Assert.Contains("Autoscaler: staying at 1 instance: ", logs, StringComparison.Ordinal);
        var audit = await again.GetStringAsync("v1/audit?org=default&limit=500");
        Assert.DoesNotContain("\"action\":\"autoscale.resize_up\"", audit, StringComparison.Ordinal);
        var audited = JsonDocument.Parse(audit).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "autoscale.resize_failed" && e.GetProperty("target").GetString() == "stuck")
            .Select(e => e.GetProperty("detail").GetString()!).ToList();
        Assert.All(restarts, d => Assert.Single(audited, detail => detail.Contains(d.GetProperty("id").GetString()!, StringComparison.Ordinal)));
    }

    private static string Retrying(TimeSpan backoff) => string.Create(
        CultureInfo.InvariantCulture, $"Autoscaler: resize from nano to XS failed, retrying in {backoff.TotalSeconds:0} s at the earliest; the app keeps serving with nano: ");

    private static DateTimeOffset At(JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();

    private static async Task<string?> FlavorAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("v1/apps/stuck")).GetProperty("flavor").GetString();

    /// <summary>A restart deployment (resize attempt) that is queued or running, if any.</summary>
    private static async Task<JsonElement?> RunningRestartAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("v1/apps/stuck/deployments")).GetProperty("items").EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "restart" && d.GetProperty("state").GetString() is "queued" or "running")
            .Select(d => (JsonElement?)d).FirstOrDefault();

    /// <summary>The app's restart deployments (one per resize attempt), oldest first, from <c>nuage activity</c>.</summary>
    private static async Task<List<JsonElement>> RestartsAsync(CliRun cli)
    {
        var activity = await cli.RunAsync("activity", "--app", "stuck", "--json");
        Assert.True(activity.ExitCode == 0, activity.ToString());
        return [.. JsonDocument.Parse(activity.Output).RootElement.EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "restart").Reverse()];
    }

    private static string? Id(JsonElement instance) => instance.GetProperty("id").GetString();

    private static int Pid(JsonElement instance) => instance.GetProperty("pid").GetInt32();

    private static async Task<List<JsonElement>> WebAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("v1/apps/stuck/instances")).EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "web" && i.GetProperty("status").GetString() == "running")];
}

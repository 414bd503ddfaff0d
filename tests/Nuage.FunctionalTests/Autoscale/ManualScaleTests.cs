using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Autoscale;

/// <summary>
/// <c>nuage scale --instances N</c> on a serving app adds and removes instances one at a time, like the autoscaler:
/// no deployment, the running instances stay, new ones join the route after their health check, removed ones drain.
/// </summary>
public sealed class ManualScaleTests
{
    [Fact]
    public async Task ScaleOneToThreeToOne_UnderLoad_NoFailedRequest_TheFirstInstanceKeepsItsIdAndPid_NoDeployment()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/apps", new { name = "steps", runtime = "node" })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "steps", AutoscaleWorld.App(server, "steps"));
        var first = Assert.Single(await WebAsync(http));
        var cli = server.Cli();

        var load = new LoadLoop(server, "steps", "/", workers: 2, pause: TimeSpan.FromMilliseconds(10));
        await using (load)
        {
            var up = await cli.RunAsync("scale", "--app", "steps", "--instances", "3");
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("steps: 1 → 3 × nano (added one at a time", up.Output, StringComparison.Ordinal);
            var three = await WebAsync(http);
            Assert.Equal(3, three.Count);
            Assert.Equal([0, 1, 2], three.Select(i => i.GetProperty("number").GetInt32()).Order());
            Assert.Contains(three, i => Same(i, first));

            var down = await cli.RunAsync("scale", "--app", "steps", "--instances", "1");
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.Contains("steps: 3 → 1 × nano (removed one at a time, each drained first)", down.Output, StringComparison.Ordinal);
            await load.StopAsync();
            Assert.True(load.Failures.IsEmpty, $"failed requests while scaling ({load.Ok} ok): " + string.Join("; ", load.Failures.Take(5)));
            Assert.True(load.Ok > 0);
        }

        Assert.True(Same(Assert.Single(await WebAsync(http)), first), "the original instance was replaced");
        var app = await http.GetFromJsonAsync<JsonElement>("v1/apps/steps");
        Assert.Equal(1, app.GetProperty("instances").GetInt32());
        var deployments = await http.GetFromJsonAsync<JsonElement>("v1/apps/steps/deployments");
        Assert.Single(deployments.GetProperty("items").EnumerateArray()); // the first deploy only: scaling started none
    }

    private static bool Same(JsonElement a, JsonElement b) =>
        a.GetProperty("id").GetString() == b.GetProperty("id").GetString() && a.GetProperty("pid").GetInt32() == b.GetProperty("pid").GetInt32();

    private static async Task<List<JsonElement>> WebAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("v1/apps/steps/instances")).EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "web" && i.GetProperty("status").GetString() == "running")];
}

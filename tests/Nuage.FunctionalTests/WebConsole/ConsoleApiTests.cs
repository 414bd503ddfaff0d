using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>The two API endpoints the console added: a dry-run check of variables, and the metrics history.</summary>
public sealed class ConsoleApiTests
{
    [Fact]
    public async Task EnvCheck_RefusesWhatASaveWouldRefuse_WithTheSameErrors_AndSavesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        await http.PostAsJsonAsync("v1/apps", new { name = "demo", runtime = "node" });

        using var check = await http.PostAsJsonAsync("v1/apps/demo/env/check", new { dotenv = "CC_NODE_BUILD_TOOL=npn\nFOO=1\n" });
        using var save = await http.PutAsJsonAsync("v1/apps/demo/env", new Dictionary<string, string> { ["CC_NODE_BUILD_TOOL"] = "npn", ["FOO"] = "1" });

        Assert.Equal(save.StatusCode, check.StatusCode);
        var checkErrors = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetRawText();
        var saveErrors = JsonDocument.Parse(await save.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetRawText();
        Assert.Equal(saveErrors, checkErrors);
        Assert.Contains("CC_NODE_BUILD_TOOL", checkErrors, StringComparison.Ordinal);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("v1/apps/demo/env")).GetProperty("variables").EnumerateObject());
    }

    [Fact]
    public async Task EnvCheck_AcceptedSet_ReturnsTheParsedVariablesAndDidYouMean_AndSavesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        await http.PostAsJsonAsync("v1/apps", new { name = "demo", runtime = "node" });

        var result = await (await http.PostAsJsonAsync("v1/apps/demo/env/check", new { dotenv = "CC_WORKER_COMAND=\"node w.js\"\n" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("node w.js", result.GetProperty("variables").GetProperty("CC_WORKER_COMAND").GetString());
        Assert.Contains("did you mean CC_WORKER_COMMAND?", result.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("v1/apps/demo/env")).GetProperty("variables").EnumerateObject());
    }

    [Fact]
    public async Task EnvCheck_AsViewer_IsForbidden()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Http();
        await admin.PostAsJsonAsync("v1/apps", new { name = "demo", runtime = "node" });
        using var viewer = server.Http(await AuthTests.CreateTokenAsync(server, "viewer"));

        using var response = await viewer.PostAsJsonAsync("v1/apps/demo/env/check", new { dotenv = "A=1" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MetricsHistory_OfAnApp_GainsPointsAsTheServerSamples()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        // A process-backed app: static sites are served by the router itself and have no instance to sample.
        await http.PostAsJsonAsync("v1/apps", new { name = "demo", runtime = "node" });
        await Deployer.DeployOkAsync(server, "demo", Deployer.Example("node"));

        // Bounded polling: the server samples every 10 s.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        JsonElement history;
        do
        {
            await Task.Delay(500, timeout.Token);
            history = await http.GetFromJsonAsync<JsonElement>("v1/metrics/history?app=demo", timeout.Token);
        }
        while (!history.GetProperty("points").EnumerateArray().Any(HasMemory));

        Assert.Equal("demo", history.GetProperty("app").GetString());
        Assert.Equal(10, history.GetProperty("intervalSeconds").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v1/metrics/history?app=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await http.GetAsync("v1/metrics/history")).StatusCode);

        // A sample taken while the instance was still starting may have no memory reading yet; a later one must.
        static bool HasMemory(JsonElement point) =>
            point.GetProperty("instances").EnumerateArray().Any(i => i.GetProperty("memoryBytes").GetInt64() > 0);
    }
}

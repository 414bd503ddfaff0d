using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

public sealed class CancelPreviousTests
{
    [Fact]
    public async Task SecondDeploy_Queues_ByDefault_AndCancelPreviousCancelsTheRunningOne()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "CC_PRE_BUILD_HOOK", "sleep 30", "--app", "web")).ExitCode);
        using var http = server.Http();
        var slow = await Deployer.StartAsync(http, "web", Deployer.Example("node"));
        await WaitForStateAsync(http, slow, "running");

        // A plain second deploy waits behind the running one.
        var queued = await Deployer.StartAsync(http, "web", Deployer.Example("node"));
        Assert.Equal("queued", await StateAsync(http, queued));

        // With cancelPrevious, the running and the queued one are cancelled and the new one runs.
        using var tar = new MemoryStream();
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(Deployer.Example("node"), tar, includeBaseDirectory: false);
        tar.Position = 0;
        Assert.Equal(0, (await server.Cli().RunAsync("env", "rm", "CC_PRE_BUILD_HOOK", "--app", "web")).ExitCode);
        using var response = await http.PostAsync("v1/apps/web/deployments?cancelPrevious=true", new StreamContent(tar));
        var latest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var final = await Deployer.WaitAsync(http, "web", latest);

        Assert.Equal("succeeded", final.GetProperty("state").GetString());
        Assert.Equal("cancelled", (await Deployer.WaitAsync(http, "web", slow)).GetProperty("state").GetString());
        Assert.Equal("cancelled", (await Deployer.WaitAsync(http, "web", queued)).GetProperty("state").GetString());
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "web")).Status);
    }

    private static async Task<string> StateAsync(HttpClient http, string id) =>
        JsonDocument.Parse(await http.GetStringAsync($"v1/apps/web/deployments/{id}")).RootElement.GetProperty("state").GetString()!;

    private static async Task WaitForStateAsync(HttpClient http, string id, string state)
    {
        for (var i = 0; i < 300 && await StateAsync(http, id) != state; i++)
        {
            await Task.Delay(100);
        }
    }
}

using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>The Procfile's <c>release</c> process type: Heroku's release phase, run once per new release before it starts.</summary>
public sealed class ReleasePhaseTests
{
    [Fact]
    public async Task ReleaseCommand_RunsBeforeStart_AndWhenItFails_TheRunningReleaseKeepsServing()
    {
        // Given a Procfile app whose release phase prints a variable of the app.
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "rel", "-t", "procfile")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "GREETING", "salut", "--app", "rel")).ExitCode);
        var app = Deployer.CopyExample(server, "procfile");
        await File.AppendAllTextAsync(Path.Combine(app, "Procfile"), "release: echo release-phase-ran \"$GREETING\"\n");

        // When it is deployed.
        var first = await Deployer.DeployOkAsync(server, "rel", app);

        // Then the release stage ran before the instances started, with the app's variables, and the app serves.
        var stages = Stages(first);
        Assert.True(stages.IndexOf("release") >= 0 && stages.IndexOf("release") < stages.IndexOf("start"), Deployer.Describe(first));
        using var http = server.Http();
        Assert.Contains("release-phase-ran salut", await http.GetStringAsync($"v1/apps/rel/deployments/{first.GetProperty("id").GetString()}/events"), StringComparison.Ordinal);
        var (status, before) = await Deployer.GetAppAsync(server, "rel");
        Assert.Equal(200, status);

        // When a new release's release phase fails.
        await File.WriteAllTextAsync(Path.Combine(app, "Procfile"), "web: python3 server.py\nrelease: echo migration failed >&2; exit 3\n");
        await File.AppendAllTextAsync(Path.Combine(app, "server.py"), "\n# a new release\n");
        var second = await Deployer.DeployAsync(server, "rel", app);

        // Then the deployment fails at that stage, no instance of it started, and the previous release still answers.
        Assert.Equal("failed", second.GetProperty("state").GetString());
        Assert.True(second.GetProperty("failedStage").GetString() == "release", Deployer.Describe(second));
        Assert.DoesNotContain("start", Stages(second));
        Assert.Equal((200, before), await Deployer.GetAppAsync(server, "rel"));
    }

    [Fact]
    public async Task Restart_DoesNotRunTheReleasePhaseAgain()
    {
        // Given a deployed Procfile app with a release phase.
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "relrestart", "-t", "procfile")).ExitCode);
        var app = Deployer.CopyExample(server, "procfile");
        await File.AppendAllTextAsync(Path.Combine(app, "Procfile"), "release: echo release-phase-ran\n");
        await Deployer.DeployOkAsync(server, "relrestart", app);

        // When the app is restarted (fresh instances of the same release).
        using var http = server.Http();
        using var response = await http.PostAsync("v1/apps/relrestart/restart", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("deployment").GetProperty("id").GetString()!;
        var restart = await Deployer.WaitAsync(http, "relrestart", id);

        // Then it succeeds without a release stage: a restart is no new release.
        Assert.True(restart.GetProperty("state").GetString() == "succeeded", Deployer.Describe(restart));
        Assert.DoesNotContain("release", Stages(restart));
    }

    private static List<string?> Stages(JsonElement deployment) =>
        [.. deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString())];
}

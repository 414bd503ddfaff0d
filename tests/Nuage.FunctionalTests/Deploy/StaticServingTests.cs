using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Build.Planning;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Instances;
using Nuage.Server.Releases;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>Static releases are served by the router itself: no instance process, across deploys and server restarts.</summary>
public sealed class StaticServingTests
{
    [Fact]
    public async Task StaticSite_Deployed_IsServedByTheRouterWithoutAnInstance_AlsoAfterARestart()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "site", "-t", "static")).ExitCode);

        var deployment = await Deployer.DeployOkAsync(server, "site", Deployer.Example("static"));

        var stages = deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("health-check", stages);
        Assert.Contains("switch", stages);
        Assert.Equal(0, await RunningInstancesAsync(server, "site"));
        Assert.Contains("runtime=static", (await Deployer.GetAppAsync(server, "site")).Body, StringComparison.Ordinal);
        Assert.Equal(404, (await Deployer.GetAppAsync(server, "site", "/no/such/page")).Status);

        await server.RestartAsync();

        var (status, body) = await Deployer.GetAppAsync(server, "site");
        Assert.Equal(200, status);
        Assert.Contains("runtime=static", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpaFallbackVariable_AnswersTheIndexForClientSideRoutes()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "spa", "-t", "static")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", KnownVariables.StaticSpaFallback.Name, "true", "--app", "spa")).ExitCode);

        await Deployer.DeployOkAsync(server, "spa", Deployer.Example("static"));

        var (status, body) = await Deployer.GetAppAsync(server, "spa", "/users/42");
        Assert.Equal(200, status);
        Assert.Contains("runtime=static", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyServeStaticInstance_IsMigratedToTheRouterAtRestore()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "site", "-t", "static")).ExitCode);
        var deployment = await Deployer.DeployOkAsync(server, "site", Deployer.Example("static"));
        await StartLegacyInstanceAsync(server, "site", deployment.GetProperty("id").GetString()!);
        for (var i = 0; i < 300 && await RunningInstancesAsync(server, "site") == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, await RunningInstancesAsync(server, "site"));

        await server.RestartAsync();

        Assert.Contains("runtime=static", (await Deployer.GetAppAsync(server, "site")).Body, StringComparison.Ordinal);
        Assert.Equal(0, await RunningInstancesAsync(server, "site"));
    }

    /// <summary>What an older server ran for a static release: a web instance running <c>nuage serve-static</c>.</summary>
    private static async Task StartLegacyInstanceAsync(RunningServer server, string appName, string deploymentId)
    {
        var services = server.Server.Services;
        var store = services.GetRequiredService<IStateStore>();
        var app = (await store.Apps.FindByNameAsync(appName, CancellationToken.None))!;
        var record = (await store.Deployments.FindAsync(deploymentId, CancellationToken.None))!;
        var plan = StartPlanJson.Read(record.StartPlan!);
        var legacy = plan with { Kind = StartKind.Command, Command = $"exec {server.Options.SelfCommand} serve-static --root '{plan.StaticRoot}'" };
        var variables = await services.GetRequiredService<Nuage.Server.Env.EnvService>().ReadAsync(app, CancellationToken.None);
        var settings = services.GetRequiredService<VariableValidator>().ReadSettings(variables);
        var specs = services.GetRequiredService<InstanceSpecFactory>().Create(app, record, server.Server.Paths.Release(app.Id, deploymentId), legacy, settings, variables);
        await services.GetRequiredService<AppInstances>().StartAsync(specs, CancellationToken.None);
    }

    private static async Task<int> RunningInstancesAsync(RunningServer server, string app)
    {
        var ps = await server.Cli().RunAsync("ps", "--app", app, "--json");
        return JsonDocument.Parse(ps.Output).RootElement.EnumerateArray().Count(i => i.GetProperty("status").GetString() == "running");
    }
}

using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

public sealed class SandboxTests
{
    [Fact]
    public async Task App_CannotReadAnotherAppsRelease_NorThePlatformDatabase()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "victim", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "victim", Deployer.Example("node"));
        var victimRelease = Directory.GetDirectories(Path.Combine(server.DataDirectory, "apps"))
            .Select(app => Path.Combine(app, "releases")).Where(Directory.Exists).SelectMany(Directory.GetDirectories).Single();
        var database = Path.Combine(server.DataDirectory, "nuage.db");
        Assert.Equal(0, (await cli.RunAsync("create", "intruder", "-t", "node")).ExitCode);
        var probe = $"for f in '{database}' '{victimRelease}/index.js'; do if cat \"$f\" >/dev/null 2>&1; then echo \"READ $f\"; else echo \"DENIED $f\"; fi; done; " +
                    "if touch \"$APP_HOME/written\" 2>/dev/null; then echo 'WROTE release'; else echo 'DENIED release write'; fi; exec node index.js";
        Assert.Equal(0, (await cli.RunAsync("env", "set", "CC_RUN_COMMAND", probe, "--app", "intruder")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "intruder", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var stdout = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(server.DataDirectory, "logs", "apps"), "*web-0.stdout.log", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("DENIED", StringComparison.Ordinal) || File.ReadAllText(f).Contains("READ", StringComparison.Ordinal)));
        Assert.Contains($"DENIED {database}", stdout, StringComparison.Ordinal);
        Assert.Contains($"DENIED {victimRelease}/index.js", stdout, StringComparison.Ordinal);
        Assert.Contains("DENIED release write", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("READ ", stdout, StringComparison.Ordinal);
    }
}

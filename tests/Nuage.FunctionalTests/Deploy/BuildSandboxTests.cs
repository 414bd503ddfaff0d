using System.Globalization;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>Build steps and run-time hooks run in the app's sandbox, as its uid, within the build limits.</summary>
public sealed class BuildSandboxTests
{
    [Fact]
    public async Task PreBuildHook_ReadingThePlatformDatabaseOrAnotherAppsRelease_IsDenied_AndRunsAsTheAppsUid()
    {
        // Given a deployed app (the victim) and the platform's database
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "victim", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "victim", Deployer.Example("node"));
        var victimRelease = ReleasesUnder(server).Single();
        var database = Path.Combine(server.DataDirectory, "nuage.db");

        // When another app's pre-build hook (and its run-succeeded hook) try to read them
        Assert.Equal(0, (await cli.RunAsync("create", "intruder", "-t", "node")).ExitCode);
        var probe = $"for f in '{database}' '{victimRelease}/index.js'; do if cat \"$f\" >/dev/null 2>&1; then echo \"READ $f\"; else echo \"DENIED $f\"; fi; done > probe.txt; " +
                    "id -u > build-uid.txt; touch \"$HOME/home-is-writable\" && echo home-ok >> probe.txt";
        Assert.Equal(0, (await cli.RunAsync("env", "set", "CC_PRE_BUILD_HOOK", probe, "--app", "intruder")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "CC_RUN_SUCCEEDED_HOOK", "id -u > \"$HOME/hook-uid.txt\"", "--app", "intruder")).ExitCode);
        var deployment = await Deployer.DeployAsync(server, "intruder", Deployer.Example("node"));

        // Then the build ran, was denied both, and ran as the app's own uid (root server) or the server's uid
        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var release = ReleasesUnder(server).Single(r => File.Exists(Path.Combine(r, "probe.txt")));
        var output = await File.ReadAllTextAsync(Path.Combine(release, "probe.txt"));
        Assert.Contains($"DENIED {database}", output, StringComparison.Ordinal);
        Assert.Contains($"DENIED {victimRelease}/index.js", output, StringComparison.Ordinal);
        Assert.DoesNotContain("READ ", output, StringComparison.Ordinal);
        Assert.Contains("home-ok", output, StringComparison.Ordinal);
        var buildUid = int.Parse((await File.ReadAllTextAsync(Path.Combine(release, "build-uid.txt"))).Trim(), CultureInfo.InvariantCulture);
        var dataDir = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(release)!)!, "data");
        var hookUid = int.Parse((await File.ReadAllTextAsync(Path.Combine(dataDir, "hook-uid.txt"))).Trim(), CultureInfo.InvariantCulture);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.InRange(buildUid, 20_000, 59_999);
        }
        else
        {
            Assert.Equal(OwnUid(), buildUid);
        }

        Assert.Equal(buildUid, hookUid);
    }

    [Fact]
    public async Task BuildStep_AllocatingBeyondTheBuildMemoryLimit_IsKilled_AndTheDeploymentSaysSo()
    {
        // Given builds limited to 64 MiB
        await using var server = await RunningServer.StartAsync(o => o with { Builds = new() { MemoryMiB = 64 } });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "hungry", "-t", "node")).ExitCode);
        var allocate = "node -e \"const a = []; for (let i = 0; i < 64; i++) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log('allocated')\"";
        Assert.Equal(0, (await cli.RunAsync("env", "set", "CC_PRE_BUILD_HOOK", allocate, "--app", "hungry")).ExitCode);

        // When a build step allocates 1 GiB
        var deployment = await Deployer.DeployAsync(server, "hungry", Deployer.Example("node"));

        // Then the step is killed and the deployment fails at that stage, naming the memory limit
        Assert.True(deployment.GetProperty("state").GetString() == "failed", Deployer.Describe(deployment));
        Assert.Equal("pre-build-hook", deployment.GetProperty("failedStage").GetString());
        Assert.Contains("build memory limit (64 MiB", deployment.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The test process's real uid, from /proc/self/status ("Uid: real effective saved fs").</summary>
    private static int OwnUid() => int.Parse(
        File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
        CultureInfo.InvariantCulture);

    private static IEnumerable<string> ReleasesUnder(RunningServer server) =>
        Directory.GetDirectories(Path.Combine(server.DataDirectory, "apps"))
            .Select(app => Path.Combine(app, "releases")).Where(Directory.Exists).SelectMany(Directory.GetDirectories);
}

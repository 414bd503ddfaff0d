using System.Diagnostics;
using Nuage.Core.Instances;
using Nuage.Core.Sandboxing;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Security;

/// <summary>
/// Someone who can read the data directory (a backup, a misplaced copy, a disk image) looks for an app's variables
/// in the files the scheduler writes to launch instances and build steps.
/// </summary>
public sealed class LaunchFileSecretsAttackTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task DataDirectory_WhileAnInstanceRunsAndRestarts_HoldsNoVariableValue()
    {
        // Given a running instance with a secret variable, which has crashed and been restarted once (the restart
        // needs the variables again).
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("secretapp");
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var marker = Path.Combine(_fx.Paths.Data("secretapp"), "started-once");
        var spec = _fx.Spec("secretapp", "secretapp-1", $"test \"$API_KEY\" = {secret} || exit 3; if [ ! -e {marker} ]; then touch {marker}; exit 1; fi; exec sleep 60",
            InstanceKind.Worker, env: new Dictionary<string, string> { ["API_KEY"] = secret });
        await scheduler.StartAsync(spec);
        await SchedulerFixture.WaitUntilAsync(() => scheduler.Get(spec.InstanceId) is { Restarts: 1, Status: InstanceStatus.Running }, "the instance restarted once");

        // When the whole data directory (run/ included) is searched for the value.
        var found = await SearchAsync(secret, _fx.Paths.Root);

        // Then it is nowhere, yet the app got it (it would have exited with code 3 otherwise).
        Assert.Equal(string.Empty, found);
        Assert.NotEqual(3, scheduler.Get(spec.InstanceId)!.ExitCode);
    }

    [Fact]
    public async Task DataDirectory_WhileABuildStepRuns_HoldsNoVariableValue()
    {
        // Given a build step running with a secret variable.
        var scheduler = await _fx.CreateSchedulerAsync();
        var (release, _) = _fx.CreateApp("secretbuild");
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var sandbox = scheduler.CreateBuildSandbox(new BuildSandboxSpec { AppId = "secretbuild", Name = "b1", ReleaseDirectory = release, Uid = _fx.Spec("secretbuild", "x", "true").Uid });
        var flag = Path.Combine(release, "running");
        var command = new StepCommand($"test \"$API_KEY\" = {secret} && touch running && sleep 5", release,
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["API_KEY"] = secret }, []);
        await using var step = await sandbox.PrepareAsync(command, CancellationToken.None);
        var start = new ProcessStartInfo(step.FileName, step.Arguments) { WorkingDirectory = release };
        start.Environment.Clear();
        foreach (var (name, value) in step.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        await SchedulerFixture.WaitUntilAsync(() => File.Exists(flag) || process.HasExited, "the step started");

        // When the whole data directory is searched for the value while the step runs.
        var found = await SearchAsync(secret, _fx.Paths.Root);

        // Then it is nowhere, and the step got it.
        Assert.Equal(string.Empty, found);
        await process.WaitForExitAsync();
        await step.KillAsync();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>grep -r over every regular file (pipes skipped: they hold nothing at rest); the names of files containing <paramref name="value"/>.</summary>
    private static async Task<string> SearchAsync(string value, string root)
    {
        var listing = Process.Start(new ProcessStartInfo("grep", ["-rlF", "-D", "skip", "--", value, root]) { RedirectStandardOutput = true })!;
        var output = await listing.StandardOutput.ReadToEndAsync();
        await listing.WaitForExitAsync();
        Assert.True(listing.ExitCode is 0 or 1, $"grep failed with exit code {listing.ExitCode}");
        return output.Trim();
    }
}

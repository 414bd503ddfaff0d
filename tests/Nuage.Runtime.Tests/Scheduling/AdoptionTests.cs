using System.Diagnostics;
using Nuage.Core.Instances;
using Nuage.Runtime.Processes;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Scheduling;

/// <summary>Instances outlive the scheduler (the server) and a new one re-attaches to them.</summary>
public sealed class AdoptionTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task Adopt_AfterSchedulerDisposedWithoutStopping_InstanceStillServesAndIsSupervised()
    {
        // Given a web instance started by a first scheduler, which then goes away as in a server crash.
        var first = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("adopt1", new Dictionary<string, string> { ["index.html"] = "still here" });
        var port = first.AllocatePort();
        var spec = _fx.Spec("adopt1", "adopt1-i1", "exec python3 -m http.server $PORT --bind 127.0.0.1", InstanceKind.Web, port);
        var saved = await first.StartAsync(spec);
        await first.DisposeAsync();
        Assert.True(ProcStat.IsAlive(saved.Pid, saved.StartTicks));
        Assert.Equal("still here", await SchedulerFixture.GetAsync(port));

        // When a new scheduler adopts it.
        var second = await _fx.CreateSchedulerAsync();
        var results = await second.AdoptAsync([new AdoptedInstance(spec, saved)]);

        // Then it is running and supervised: killing the app gets it restarted.
        var result = Assert.Single(results);
        Assert.True(result.Adopted, result.Reason);
        Assert.Equal(InstanceStatus.Running, second.Get("adopt1-i1")!.Status);
        Assert.Contains(_fx.Events, e => e.Kind == InstanceEventKind.Adopted);
        var app = ProcStat.InSession(saved.Pid).Single(p => p.Comm.StartsWith("python", StringComparison.Ordinal));
        Signals.Send(app.Pid, Signals.SigKill);
        await SchedulerFixture.WaitUntilAsync(() => second.Get("adopt1-i1") is { Restarts: 1, Status: InstanceStatus.Running }, "the adopted instance to be restarted");
        Assert.NotEqual(saved.Pid, second.Get("adopt1-i1")!.Pid);
        Assert.Equal("still here", await SchedulerFixture.GetAsync(port));
    }

    [Fact]
    public async Task Adopt_PidAliveButStartTimeDiffers_IsNotAdoptedAndTheProcessIsLeftAlone()
    {
        // Given a saved state whose pid now belongs to an unrelated process (simulated pid reuse).
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var scheduler = await _fx.CreateSchedulerAsync();
            _fx.CreateApp("ghost");
            var spec = _fx.Spec("ghost", "ghost-i1", "sleep 60", InstanceKind.Worker);
            var realTicks = ProcStat.Read(unrelated.Id)!.StartTicks;
            var saved = new InstanceState("ghost-i1", "ghost", "d1", InstanceKind.Worker, unrelated.Id, realTicks + 1, null, InstanceStatus.Running, null, 0, DateTimeOffset.UnixEpoch);

            // When adopting it.
            var result = Assert.Single(await scheduler.AdoptAsync([new AdoptedInstance(spec, saved)]));

            // Then it is refused, and the unrelated process was not signalled.
            Assert.False(result.Adopted);
            Assert.Contains("another process", result.Reason, StringComparison.Ordinal);
            Assert.Null(scheduler.Get("ghost-i1"));
            Assert.True(ProcStat.IsAlive(unrelated.Id, realTicks));
        }
        finally
        {
            unrelated.Kill();
        }
    }

    [Fact]
    public async Task Adopt_ProcessEndedWhileServerWasDown_ReportsItsExitCode()
    {
        var first = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("gone1");
        var spec = _fx.Spec("gone1", "gone1-i1", "sleep 0.5; exit 5", InstanceKind.Worker);
        var saved = await first.StartAsync(spec);
        await first.DisposeAsync();
        await SchedulerFixture.WaitUntilAsync(() => !ProcStat.IsAlive(saved.Pid, saved.StartTicks), "the instance to end while no scheduler runs");

        var second = await _fx.CreateSchedulerAsync();
        var result = Assert.Single(await second.AdoptAsync([new AdoptedInstance(spec, saved)]));

        Assert.False(result.Adopted);
        Assert.Equal(5, result.State.ExitCode);
        Assert.Equal(InstanceStatus.Exited, result.State.Status);
    }
}

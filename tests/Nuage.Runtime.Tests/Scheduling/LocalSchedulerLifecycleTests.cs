using Nuage.Core.Instances;
using Nuage.Runtime.Scheduling;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Scheduling;

/// <summary>Real sandboxed processes: start, output files, tasks, workers, pre-run hooks, crashes and stops.</summary>
public sealed class LocalSchedulerLifecycleTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task WebInstance_Started_AnswersHttpOnItsPortAndLogsToItsFiles()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("web1", new Dictionary<string, string> { ["index.html"] = "hello from web1" });
        var port = scheduler.AllocatePort();
        var spec = _fx.Spec("web1", "web1-i1", "echo starting on $PORT; exec python3 -m http.server $PORT --bind 127.0.0.1", InstanceKind.Web, port);

        var state = await scheduler.StartAsync(spec);

        Assert.Equal(InstanceStatus.Running, state.Status);
        Assert.True(state.Pid > 0);
        Assert.True(state.StartTicks > 0);
        Assert.Equal("hello from web1", await SchedulerFixture.GetAsync(port));
        await SchedulerFixture.WaitUntilAsync(() => File.Exists(spec.StderrPath) && File.ReadAllText(spec.StderrPath).Contains("\"GET / HTTP/1.1\" 200", StringComparison.Ordinal), "the request logged to stderr");
        Assert.Contains($"starting on {port}", File.ReadAllText(spec.StdoutPath), StringComparison.Ordinal);
        Assert.Contains(_fx.Events, e => e.Kind == InstanceEventKind.Started && e.State.InstanceId == "web1-i1");
        Assert.Contains(_fx.Sink.Records, r => r.Source == Core.Logging.LogSource.Platform && r.InstanceId == "web1-i1" && r.DeploymentId == "d1");

        var usage = scheduler.GetUsage("web1-i1");
        Assert.NotNull(usage);
        Assert.Equal(256L * 1024 * 1024, usage.MemoryLimitBytes);
        Assert.True(usage.MemoryBytes > 0);
    }

    [Fact]
    public async Task Task_RunsToCompletion_RecordsExitCodeAndIsNotRestarted()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("task1");
        var spec = _fx.Spec("task1", "task1-i1", "echo out-line; echo err-line >&2; exit 3") with { RestartPolicy = RestartPolicy.Always };

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("task1-i1").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(InstanceStatus.Exited, final.Status);
        Assert.Equal(3, final.ExitCode);
        Assert.Equal(0, final.Restarts);
        Assert.Equal("out-line\n", File.ReadAllText(spec.StdoutPath));
        Assert.Equal("err-line\n", File.ReadAllText(spec.StderrPath));
        Assert.Contains(_fx.Events, e => e.Kind == InstanceEventKind.Exited && e.State.ExitCode == 3);
    }

    [Fact]
    public async Task Worker_WithoutPort_RunsAndIsRestartedAfterExit()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        var (_, data) = _fx.CreateApp("wrk1");
        var spec = _fx.Spec("wrk1", "wrk1-w1", "echo tick >> \"$APP_DATA/ticks\"; sleep 0.2; exit 0", InstanceKind.Worker) with { RestartPolicy = RestartPolicy.Always };

        await scheduler.StartAsync(spec);
        var ticks = Path.Combine(data, "ticks");
        // The restart count rises when the next run is started, before that run has written its tick: wait for both.
        await SchedulerFixture.WaitUntilAsync(
            () => scheduler.Get("wrk1-w1")!.Restarts >= 2 && File.Exists(ticks) && File.ReadAllLines(ticks).Length >= 3, "two restarts of the worker, three ticks");
        var stopped = await scheduler.StopAsync("wrk1-w1");

        Assert.Equal(InstanceStatus.Stopped, stopped.Status);
        Assert.Null(stopped.Port);
        Assert.True(File.ReadAllLines(ticks).Length >= 3);
    }

    [Fact]
    public async Task Crash_WithAlwaysPolicy_RestartsWithBackoffThenMarksCrashLooping()
    {
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { CrashLoopThreshold = 4 });
        var (_, data) = _fx.CreateApp("crash1");
        var spec = _fx.Spec("crash1", "crash1-i1", "echo run >> \"$APP_DATA/runs\"; exit 2", InstanceKind.Worker);

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("crash1-i1").WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(InstanceStatus.CrashLooping, final.Status);
        Assert.Equal(2, final.ExitCode);
        Assert.Equal(3, final.Restarts);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(data, "runs")).Length);
        var kinds = _fx.Events.Where(e => e.State.InstanceId == "crash1-i1").Select(e => e.Kind).ToList();
        Assert.Equal(3, kinds.Count(k => k == InstanceEventKind.Crashed));
        Assert.Equal(3, kinds.Count(k => k == InstanceEventKind.Restarted));
        Assert.Equal(InstanceEventKind.CrashLooping, kinds[^1]);

        // Back-off doubles: 50 ms, 100 ms, 200 ms (announced in the crash events).
        var delays = _fx.Events.Where(e => e.Kind == InstanceEventKind.Crashed).Select(e => e.Message).ToList();
        Assert.Contains("restarting in 0.05 s", delays[0], StringComparison.Ordinal);
        Assert.Contains("restarting in 0.1 s", delays[1], StringComparison.Ordinal);
        Assert.Contains("restarting in 0.2 s", delays[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_WithOnFailurePolicyAndExitZero_IsFinal()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("once1");
        var spec = _fx.Spec("once1", "once1-w1", "exit 0", InstanceKind.Worker) with { RestartPolicy = RestartPolicy.OnFailure };

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("once1-w1").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(InstanceStatus.Exited, final.Status);
        Assert.Equal(0, final.ExitCode);
        Assert.Equal(0, final.Restarts);
    }

    [Fact]
    public async Task Stop_AppTrapsTerm_ExitsGracefullyAndWritesItsMarker()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        var (_, data) = _fx.CreateApp("grace1");
        var spec = _fx.Spec("grace1", "grace1-i1", "trap 'echo bye > \"$APP_DATA/marker\"; exit 0' TERM; echo ready; while true; do sleep 0.1; done", InstanceKind.Worker);
        await scheduler.StartAsync(spec);
        await SchedulerFixture.WaitUntilAsync(() => File.Exists(spec.StdoutPath) && File.ReadAllText(spec.StdoutPath).Contains("ready", StringComparison.Ordinal), "the app to be ready");

        var stopped = await scheduler.StopAsync("grace1-i1", TimeSpan.FromSeconds(20));

        Assert.Equal(InstanceStatus.Stopped, stopped.Status);
        Assert.Equal(0, stopped.ExitCode);
        Assert.Equal("bye\n", File.ReadAllText(Path.Combine(data, "marker")));
    }

    [Fact]
    public async Task Stop_AppIgnoresTerm_IsKilledAfterTheTimeout()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("stubborn1");
        var spec = _fx.Spec("stubborn1", "stubborn1-i1", "trap '' TERM; echo ready; while true; do sleep 0.1; done", InstanceKind.Worker);
        var started = await scheduler.StartAsync(spec);
        await SchedulerFixture.WaitUntilAsync(() => File.Exists(spec.StdoutPath) && File.ReadAllText(spec.StdoutPath).Contains("ready", StringComparison.Ordinal), "the app to be ready");

        var stopped = await scheduler.StopAsync("stubborn1-i1", TimeSpan.FromSeconds(1));

        Assert.Equal(InstanceStatus.Stopped, stopped.Status);
        Assert.Equal(137, stopped.ExitCode);
        Assert.False(Runtime.Processes.ProcStat.IsAlive(started.Pid, started.StartTicks));
        Assert.False(Directory.Exists(Path.Combine("/sys/fs/cgroup/memory", _fx.CgroupName, "stubborn1", "stubborn1-i1")));
    }

    [Fact]
    public async Task PreRunHook_Succeeds_RunsBeforeTheCommandInTheSameSandbox()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        var (_, data) = _fx.CreateApp("hook1");
        var spec = _fx.Spec("hook1", "hook1-i1", "cat \"$APP_DATA/hooked\"") with { PreRunHook = "id -u > \"$APP_DATA/hooked\"" };

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("hook1-i1").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, final.ExitCode);
        Assert.Equal($"{spec.Uid}\n", File.ReadAllText(spec.StdoutPath));
        Assert.True(File.Exists(Path.Combine(data, "hooked")));
    }

    [Fact]
    public async Task PreRunHook_Fails_FailsTheStartAndNeverRunsTheCommand()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        var (_, data) = _fx.CreateApp("hook2");
        var spec = _fx.Spec("hook2", "hook2-i1", "touch \"$APP_DATA/ran\"; sleep 30", InstanceKind.Worker) with { PreRunHook = "echo migration failed >&2; exit 4" };

        var error = await Assert.ThrowsAsync<Core.Errors.NuageException>(() => scheduler.StartAsync(spec));

        Assert.Equal("pre_run_hook_failed", error.Code);
        Assert.Contains("exit code 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(InstanceStatus.Exited, scheduler.Get("hook2-i1")!.Status);
        Assert.False(File.Exists(Path.Combine(data, "ran")));
        Assert.Contains("migration failed", File.ReadAllText(spec.StderrPath), StringComparison.Ordinal);
        Assert.Contains(_fx.Events, e => e.Kind == InstanceEventKind.PreRunHookFailed);
    }

    [Fact]
    public async Task AllocatePort_CalledTwice_ReturnsDistinctFreePorts()
    {
        var scheduler = await _fx.CreateSchedulerAsync();

        var first = scheduler.AllocatePort();
        var second = scheduler.AllocatePort();

        Assert.NotEqual(first, second);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, first);
        listener.Start();
    }
}

using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Runtime.Scheduling;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Sandboxing;

/// <summary>Isolation as an app sees it: real bubblewrap, real uids, real cgroups.</summary>
public sealed class SandboxTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task App_ReadingAnotherAppOrThePlatformDatabase_IsDeniedAndCannotWriteItsRelease()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        var (otherRelease, otherData) = _fx.CreateApp("victim", new Dictionary<string, string> { ["secret.txt"] = "victim secret" });
        var (release, data) = _fx.CreateApp("intruder", new Dictionary<string, string> { ["app.sh"] = "echo mine" });
        var probes = string.Join("; ", [
            $"cat '{otherRelease}/secret.txt' && echo READ-OTHER-RELEASE || echo DENIED-OTHER-RELEASE",
            $"ls '{otherData}' && echo READ-OTHER-DATA || echo DENIED-OTHER-DATA",
            $"cat '{_fx.Paths.Database}' && echo READ-DB || echo DENIED-DB",
            $"ls '{_fx.Paths.Apps}/victim' && echo LISTED-APPS || echo DENIED-APPS",
            $"touch '{release}/new' && echo WROTE-RELEASE || echo DENIED-RELEASE-WRITE",
            $"bash '{release}/app.sh'",
            $"echo kept > '{data}/file' && echo WROTE-DATA",
            "echo uid=$(id -u)",
            "cat /etc/shadow && echo READ-SHADOW || echo DENIED-SHADOW",
        ]);
        var spec = _fx.Spec("intruder", "intruder-i1", probes);

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("intruder-i1").WaitAsync(TimeSpan.FromSeconds(30));

        var output = File.ReadAllText(spec.StdoutPath);
        Assert.Equal(0, final.ExitCode);
        foreach (var expected in new[] { "DENIED-OTHER-RELEASE", "DENIED-OTHER-DATA", "DENIED-DB", "DENIED-APPS", "DENIED-RELEASE-WRITE", "mine", "WROTE-DATA", $"uid={spec.Uid}", "DENIED-SHADOW" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("victim secret", output, StringComparison.Ordinal);
        Assert.DoesNotContain("platform secrets", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(release, "new")));
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(data, "file")));
    }

    [Fact]
    public async Task App_AllocatingBeyondPicoMemory_IsOomKilledAndReportedAsSuch()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        Assert.Equal("v1", scheduler.CgroupVersion);
        _fx.CreateApp("hog");
        var spec = _fx.Spec("hog", "hog-i1", "python3 -c \"b = bytearray(b'x') * (600 * 1024 * 1024); print(len(b))\"", InstanceKind.Worker) with
        {
            RestartPolicy = RestartPolicy.No,
            Flavor = Flavors.Find("pico")!,
        };

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("hog-i1").WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(InstanceStatus.OomKilled, final.Status);
        Assert.Equal(137, final.ExitCode);
        Assert.Contains(_fx.Events, e => e.Kind == InstanceEventKind.OomKilled && e.Message.Contains("256 MiB", StringComparison.Ordinal));
        Assert.Contains(_fx.Sink.Records, r => r.Message.Contains("memory limit", StringComparison.Ordinal) && r.InstanceId == "hog-i1");
    }

    [Fact]
    public async Task Start_WithoutBubblewrap_IsRefusedWithTheFix()
    {
        var logger = new ListLogger<LocalScheduler>();
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { BwrapPath = "/nonexistent/bwrap" }, logger);
        _fx.CreateApp("refused");

        var error = await Assert.ThrowsAsync<NuageException>(() => scheduler.StartAsync(_fx.Spec("refused", "refused-i1", "true")));

        Assert.Equal("sandbox_unavailable", error.Code);
        Assert.Contains("bubblewrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure-no-sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains("instances will be refused", StringComparison.Ordinal));
        Assert.Null(scheduler.Get("refused-i1"));
    }

    [Fact]
    public async Task Start_WithoutCgroups_IsRefused()
    {
        var emptyCgroupRoot = Directory.CreateDirectory(Path.Combine(_fx.Paths.Root, "no-cgroups")).FullName;
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { CgroupRoot = emptyCgroupRoot });
        _fx.CreateApp("refused2");

        var error = await Assert.ThrowsAsync<NuageException>(() => scheduler.StartAsync(_fx.Spec("refused2", "refused2-i1", "true")));

        Assert.Equal("sandbox_unavailable", error.Code);
        Assert.Contains("cgroup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutBubblewrapButInsecureNoSandbox_RunsAndSaysSo()
    {
        var logger = new ListLogger<LocalScheduler>();
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { BwrapPath = "/nonexistent/bwrap", InsecureNoSandbox = true }, logger);
        _fx.CreateApp("insecure");
        var spec = _fx.Spec("insecure", "insecure-i1", "echo uid=$(id -u)");

        await scheduler.StartAsync(spec);
        var final = await scheduler.WaitForExitAsync("insecure-i1").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(scheduler.IsSandboxed);
        Assert.Equal(0, final.ExitCode);
        Assert.Equal("uid=0\n", File.ReadAllText(spec.StdoutPath));
        Assert.Contains(logger.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("WITHOUT a sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_AsRootWithoutUid_IsRejectedNamingTheField()
    {
        var scheduler = await _fx.CreateSchedulerAsync();
        _fx.CreateApp("nouid");
        var spec = _fx.Spec("nouid", "nouid-i1", "true", InstanceKind.Web) with { Uid = null };

        var error = await Assert.ThrowsAsync<NuageException>(() => scheduler.StartAsync(spec));

        Assert.Equal("invalid_instance_spec", error.Code);
        Assert.Contains(error.Errors, e => e.Field == "Uid");
        Assert.Contains(error.Errors, e => e.Field == "Port");
    }
}

using System.Collections.Concurrent;
using Nuage.Core.Apps;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Runtime.Sandboxing;
using Nuage.Runtime.Scheduling;

namespace Nuage.Runtime.Tests.Support;

/// <summary>
/// A temporary platform data root (with a fake nuage.db), apps with releases and data dirs, and schedulers
/// using a cgroup name of their own. Disposing stops every instance left running and removes everything.
/// </summary>
internal sealed class SchedulerFixture : IAsyncDisposable
{
    private readonly List<LocalScheduler> _schedulers = [];
    private int _nextUid;

    public SchedulerFixture()
    {
        Paths = new NuagePaths(Path.Combine(Path.GetTempPath(), "nuage-rt-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(Paths.Root);
        File.WriteAllText(Paths.Database, "platform secrets");
        CgroupName = "nuage-test-" + Guid.NewGuid().ToString("N")[..8];
    }

    public NuagePaths Paths { get; }

    public string CgroupName { get; }

    public RecordingLogSink Sink { get; } = new();

    public ConcurrentQueue<InstanceEvent> Events { get; } = new();

    public LocalSchedulerOptions Options(Func<LocalSchedulerOptions, LocalSchedulerOptions>? configure = null)
    {
        var options = new LocalSchedulerOptions
        {
            RunDirectory = Path.Combine(Paths.Root, "run"),
            CgroupName = CgroupName,
            ExitPollInterval = TimeSpan.FromMilliseconds(50),
            StopTimeout = TimeSpan.FromSeconds(10),

            // Scheduler tests reach their instances on 127.0.0.1; the network tests (Security/) turn isolation on.
            InsecureHostNetwork = true,
        };
        return configure is null ? options : configure(options);
    }

    public async Task<LocalScheduler> CreateSchedulerAsync(Func<LocalSchedulerOptions, LocalSchedulerOptions>? configure = null, ListLogger<LocalScheduler>? logger = null)
    {
        var scheduler = await LocalScheduler.CreateAsync(Options(configure), Sink, logger);
        scheduler.InstanceChanged += (_, e) => Events.Enqueue(e);
        _schedulers.Add(scheduler);
        return scheduler;
    }

    /// <summary>Creates an app's release (with the given files) and data directory.</summary>
    public (string Release, string Data) CreateApp(string appId, IReadOnlyDictionary<string, string>? files = null)
    {
        var release = Paths.Release(appId, "d1");
        Directory.CreateDirectory(release);
        Directory.CreateDirectory(Paths.Data(appId));
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(release, name), content);
        }

        return (release, Paths.Data(appId));
    }

    public InstanceSpec Spec(string appId, string instanceId, string command, InstanceKind kind = InstanceKind.Task, int? port = null, IDictionary<string, string>? env = null, string? address = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["INSTANCE_ID"] = instanceId,
            ["APP_DATA"] = Paths.Data(appId),
        };
        if (port is { } p)
        {
            environment["PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            environment[k] = v;
        }

        return new InstanceSpec
        {
            AppId = appId,
            AppName = appId,
            DeploymentId = "d1",
            InstanceId = instanceId,
            Kind = kind,
            ReleaseDirectory = Paths.Release(appId, "d1"),
            DataDirectory = Paths.Data(appId),
            Command = command,
            Environment = environment,
            Port = port,
            Address = address,
            Flavor = Flavors.Find("pico")!,
            StdoutPath = Paths.InstanceOutput(appId, instanceId, "stdout"),
            StderrPath = Paths.InstanceOutput(appId, instanceId, "stderr"),
            RestartPolicy = kind == InstanceKind.Task ? RestartPolicy.No : RestartPolicy.Always,
            RestartDelay = TimeSpan.FromMilliseconds(50),
            Uid = AppUserIds.ForIndex(Interlocked.Increment(ref _nextUid)),
        };
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<string> GetAsync(int port, int seconds = 20)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                return await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task KillAllAsync(string procs)
    {
        for (var attempt = 0; attempt < 100 && File.ReadAllText(procs).Trim() is { Length: > 0 } pids; attempt++)
        {
            foreach (var pid in pids.Split('\n'))
            {
                Runtime.Processes.Signals.Send(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), Runtime.Processes.Signals.SigKill);
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scheduler in _schedulers)
        {
            foreach (var state in scheduler.List().Where(s => !LocalScheduler.IsFinal(s.Status)))
            {
                await scheduler.StopAsync(state.InstanceId, TimeSpan.FromSeconds(2));
            }

            var table = scheduler.NetworkTable;
            await scheduler.DisposeAsync();
            if (table is not null)
            {
                await Networking.InstanceNetworks.RunAsync("nft", ["delete", "table", "inet", table], null, CancellationToken.None);
            }
        }

        foreach (var controller in new[] { "memory", "cpu", "pids", "cpuacct", string.Empty })
        {
            var dir = Path.Combine("/sys/fs/cgroup", controller, CgroupName);
            if (Directory.Exists(dir))
            {
                foreach (var app in Directory.GetDirectories(dir))
                {
                    foreach (var instance in Directory.GetDirectories(app))
                    {
                        // Instances a failed test left behind (e.g. after disposing a scheduler without stopping them).
                        await KillAllAsync(Path.Combine(instance, "cgroup.procs"));
                        Directory.Delete(instance);
                    }

                    Directory.Delete(app);
                }

                Directory.Delete(dir);
            }
        }

        if (Environment.GetEnvironmentVariable("NUAGE_TEST_KEEP") is null)
        {
            Directory.Delete(Paths.Root, recursive: true);
        }
    }
}

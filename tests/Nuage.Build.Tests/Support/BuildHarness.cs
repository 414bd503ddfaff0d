using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Build.Caching;
using Nuage.Build.Detection;
using Nuage.Build.Planning;
using Nuage.Build.Steps;

namespace Nuage.Build.Tests.Support;

/// <summary>The real build library wired as the server would, plus helpers to copy examples and start built apps.</summary>
internal static class BuildHarness
{
    public static BuildOptions Options { get; } = new();

    public static HostTools Tools { get; } = HostTools.FromEnvironment();

    public static StepRunner StepRunner() => new(Options, TimeProvider.System, NullLogger<StepRunner>.Instance);

    public static BuildRunner Runner() =>
        new(StepRunner(), new DependencyCache(NullLogger<DependencyCache>.Instance), Tools, TimeProvider.System, NullLogger<BuildRunner>.Instance);

    public static BuildPlanner Planner() => new(Tools);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "examples")) && File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (with examples/) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies <c>examples/&lt;name&gt;</c> into a new release directory under <paramref name="parent"/>.</summary>
    public static string CopyExample(string name, string parent, string releaseName = "release")
    {
        var source = Path.Combine(RepositoryRoot(), "examples", name);
        var target = Path.Combine(parent, releaseName);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split('/').Any(p => p is "bin" or "obj" or "node_modules" or ".venv" or ".nuage"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    public static async Task<(BuildPlan Plan, BuildResult Result, RecordingObserver Log)> BuildAsync(
        string release, string? runtime, BuildSettings settings, string? cacheDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var app = await RuntimeDetector.DetectAsync(release, runtime, settings, CancellationToken.None);
        var plan = Planner().Plan(app, settings);
        var log = new RecordingObserver();
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["INSTANCE_TYPE"] = "build" };
        var result = await Runner().RunAsync(plan, new BuildContext { Environment = env, CacheDirectory = cacheDirectory }, log, CancellationToken.None);
        return (plan, result, log);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the plan's command as a real process on a free port and returns the body of GET /.</summary>
    public static async Task<string> StartAndGetAsync(StartPlan start, string path = "/")
    {
        await using var app = await StartAsync(start);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await app.GetWhenUpAsync(http, path);
    }

    /// <summary>
    /// Starts the plan's command as a real process (its own session) on a free port, with <paramref name="dataDirectory"/>
    /// as the app's data directory (PHP sessions); disposing stops it (SIGTERM, then SIGKILL).
    /// </summary>
    public static Task<RunningApp> StartAsync(StartPlan start, string? dataDirectory = null, int instanceNumber = 3)
    {
        Assert.NotEqual(StartKind.Static, start.Kind);
        var port = FreePort();
        var data = dataDirectory ?? Path.GetTempPath();
        var info = new ProcessStartInfo("setsid") { WorkingDirectory = start.WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(start.Kind == StartKind.Php ? PhpServing.Command(start, data) : start.Command!);
        info.Environment.Clear();
        foreach (var (k, v) in start.Environment)
        {
            info.Environment[k] = v;
        }

        info.Environment["PATH"] = string.Join(':', start.PathPrepend.Append(Tools.SearchPath));
        info.Environment["HOME"] = data;
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["INSTANCE_NUMBER"] = instanceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["GREETING"] = "bonjour";
        var process = Process.Start(info)!;
        var app = new RunningApp(process, port);
        process.OutputDataReceived += (_, e) => app.Record(e.Data);
        process.ErrorDataReceived += (_, e) => app.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(app);
    }
}

/// <summary>An app process started by <see cref="BuildHarness.StartAsync"/>.</summary>
internal sealed class RunningApp(Process process, int port) : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public int Port { get; } = port;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>Everything the app printed so far (stdout and stderr), for assertion messages.</summary>
    public string Output => string.Join('\n', _output);

    public void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>GET <paramref name="path"/>, retrying (bounded) until the app listens.</summary>
    public async Task<string> GetWhenUpAsync(HttpClient http, string path = "/")
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"app exited early with code {(process.HasExited ? process.ExitCode : 0)}: {Output}");
            try
            {
                return await http.GetStringAsync(Url(path));
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first: PHP-FPM leaves the process group (setsid), the PHP command's trap stops it.
        using (var term = Process.Start("bash", ["-c", $"kill -TERM -- -{process.Id} 2>/dev/null; true"]))
        {
            await term.WaitForExitAsync();
        }

        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        using var kill = Process.Start("bash", ["-c", $"kill -KILL -- -{process.Id} 2>/dev/null; true"]);
        await kill.WaitForExitAsync();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}

/// <summary>Records everything a build reports, in order.</summary>
internal sealed class RecordingObserver : IBuildObserver
{
    private readonly Lock _lock = new();

    public List<string> Events { get; } = [];

    public List<(string Step, OutputLine Line)> Lines { get; } = [];

    public void StepStarted(BuildStep step)
    {
        lock (_lock)
        {
            Events.Add("start:" + step.Name);
        }
    }

    public void StepOutput(BuildStep step, OutputLine line)
    {
        lock (_lock)
        {
            Lines.Add((step.Name, line));
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (_lock)
        {
            Events.Add((result.Skipped ? "skipped:" : "end:") + result.Step.Name + (result.Skipped ? string.Empty : ":" + result.ExitCode));
        }
    }

    public void Message(string text)
    {
        lock (_lock)
        {
            Events.Add("message:" + text);
        }
    }

    public string Output(string step) => string.Join('\n', Lines.Where(l => l.Step == step).Select(l => l.Line.Text));
}

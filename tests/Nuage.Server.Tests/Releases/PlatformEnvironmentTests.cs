using Nuage.Build.Planning;
using Nuage.Core.Apps;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Runtime.Scheduling;
using Nuage.Server.Hosting;
using Nuage.Server.Releases;

namespace Nuage.Server.Tests.Releases;

/// <summary>
/// A build, a run-time hook and an instance of the same app get the same platform variables (every read-only
/// variable of the registry), except the documented differences: PORT only for web instances.
/// </summary>
public sealed class PlatformEnvironmentTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("nuage-env-").FullName;
    private LocalScheduler? _scheduler;

    private static readonly AppConfig App = new()
    {
        Id = "app_1", Name = "shop", Runtime = "node", Flavor = "nano", Instances = 1, CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly DeploymentRecord Deployment = new()
    {
        Id = "dep_1", AppId = App.Id, Kind = DeploymentKind.Upload, State = DeploymentState.Running, CommitId = "abc123", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly StartPlan Plan = new()
    {
        Kind = StartKind.Command,
        Command = "node server.js",
        WorkingDirectory = "/data/apps/app_1/releases/dep_1",
        Environment = new Dictionary<string, string> { ["NODE_ENV"] = "production" },
        PathPrepend = ["/data/apps/app_1/releases/dep_1/node_modules/.bin"],
    };

    // The app's own variables, including attempts to override platform variables.
    private static readonly Dictionary<string, string> AppVariables = new()
    {
        ["GREETING"] = "hello",
        [KnownVariables.AppId.Name] = "spoofed",
        [KnownVariables.InstanceType.Name] = "spoofed",
    };

    private static IEnumerable<string> PlatformVariables => VariableRegistry.Default.All.Where(d => d.ReadOnly).Select(d => d.Name);

    public async Task InitializeAsync() =>
        _scheduler = await LocalScheduler.CreateAsync(
            new LocalSchedulerOptions { RunDirectory = Path.Combine(_root, "run"), InsecureNoSandbox = true }, new DiscardingLogSink());

    public async Task DisposeAsync()
    {
        await _scheduler!.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void BuildHookAndInstance_GetTheSamePlatformVariables_ExceptPortForWebInstances()
    {
        var factory = new InstanceSpecFactory(new NuagePaths(_root), new NuageServerOptions(), _scheduler!);
        var build = factory.BuildEnvironment(App, Deployment, Plan.WorkingDirectory, AppVariables);
        var hook = factory.HookEnvironment(App, Deployment, "run-succeeded-hook", Plan, AppVariables);
        var web = PlatformEnvironment.For(
            new AppProcess(AppProcessKind.Instance, App, Deployment, "dep_1-web-0", 0, Plan.WorkingDirectory, factory.ReverseProxyIps, 41000), new NuagePaths(_root), AppVariables);
        var worker = PlatformEnvironment.For(
            new AppProcess(AppProcessKind.Instance, App, Deployment, "dep_1-worker0-0", 0, Plan.WorkingDirectory, factory.ReverseProxyIps), new NuagePaths(_root), AppVariables);

        var expected = PlatformVariables.Where(n => n != KnownVariables.Port.Name).Order().ToList();
        Assert.True(expected.Count >= 8, "the registry lists too few platform variables; is ReadOnly still how they are marked?");
        foreach (var (name, env) in new[] { ("build", build), ("hook", hook), ("web", web), ("worker", worker) })
        {
            var missing = expected.Where(v => !env.ContainsKey(v)).ToList();
            Assert.True(missing.Count == 0, $"the {name} environment lacks platform variables: {string.Join(", ", missing)}");
            Assert.Equal(App.Id, env[KnownVariables.AppId.Name]);
            Assert.Equal("hello", env["GREETING"]);
            Assert.EndsWith(SystemPath.Value, env["PATH"], StringComparison.Ordinal);
            Assert.Equal("C.UTF-8", env["LANG"]);
        }

        Assert.Equal("41000", web[KnownVariables.Port.Name]);
        Assert.All(new[] { build, hook, worker }, env => Assert.False(env.ContainsKey(KnownVariables.Port.Name)));
        Assert.Equal("build", build[KnownVariables.InstanceType.Name]);
        Assert.All(new[] { hook, web, worker }, env => Assert.Equal("production", env[KnownVariables.InstanceType.Name]));
    }

    [Fact]
    public void Hook_GetsTheRuntimesPathAndVariables_AndTheAppsDataAsHome_LikeAnInstance()
    {
        var factory = new InstanceSpecFactory(new NuagePaths(_root), new NuageServerOptions(), _scheduler!);
        var hook = factory.HookEnvironment(App, Deployment, "run-failed-hook", Plan, AppVariables);

        Assert.Equal(string.Join(':', Plan.PathPrepend.Append(SystemPath.Value)), hook["PATH"]);
        Assert.Equal("production", hook["NODE_ENV"]);
        Assert.Equal(new NuagePaths(_root).Data(App.Id), hook["HOME"]);
        Assert.Equal("dep_1-run-failed-hook", hook[KnownVariables.InstanceId.Name]);
    }

    [Fact]
    public void Build_LeavesHomeToTheBuildRunner_AndKeepsThePlatformPath()
    {
        var factory = new InstanceSpecFactory(new NuagePaths(_root), new NuageServerOptions(), _scheduler!);
        var build = factory.BuildEnvironment(App, Deployment, Plan.WorkingDirectory, new Dictionary<string, string> { ["PATH"] = "/evil" });

        Assert.False(build.ContainsKey("HOME"), "the build runner gives each build a scratch HOME");
        Assert.Equal(SystemPath.Value, build["PATH"]);
    }

    /// <summary>The scheduler is only asked for ports here; its platform log lines are not under test.</summary>
    private sealed class DiscardingLogSink : Core.Logging.ILogSink
    {
        public void Write(Core.Logging.LogRecord record)
        {
        }
    }
}

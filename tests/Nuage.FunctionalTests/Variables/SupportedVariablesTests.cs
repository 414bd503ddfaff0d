using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Variables;

/// <summary>Each supported variable changes what the platform does (hooks, run command and submodules are covered elsewhere).</summary>
public sealed class SupportedVariablesTests
{
    [Fact]
    public async Task HealthCheckPath_ThatAnswers500_FailsTheDeploymentNamingThePath()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_HEALTH_CHECK_PATH=/ready");
        var app = Deployer.CopyExample(server, "node");
        await File.WriteAllTextAsync(Path.Combine(app, "index.js"),
            "require('node:http').createServer((req, res) => { res.statusCode = req.url === '/ready' ? 500 : 200; res.end('x'); }).listen(Number(process.env.PORT), '127.0.0.1');\n");

        var deployment = await Deployer.DeployAsync(server, "web", app);

        Assert.True(deployment.GetProperty("state").GetString() == "failed", Deployer.Describe(deployment));
        Assert.Equal("health-check", deployment.GetProperty("failedStage").GetString());
        Assert.Contains("/ready", deployment.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("500", deployment.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheckPath_ThatAnswers200_Passes()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_HEALTH_CHECK_PATH=/health");

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
    }

    [Fact]
    public async Task WorkerCommand_RunsBesideTheWebInstance_InTheSandboxWithItsVariables()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_WORKER_COMMAND=echo worker-for-$INSTANCE_NUMBER; exec sleep 600");

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var instances = await InstancesAsync(server, "web");
        Assert.Contains(instances, i => i.GetProperty("kind").GetString() == "worker" && i.GetProperty("status").GetString() == "running");
        Assert.Contains("worker-for-0", await WaitForOutputAsync(server, "worker0-0.stdout.log", "worker-for-0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerRestartNo_CrashedWorkerIsNotRestarted()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_WORKER_COMMAND=echo ran; exit 7\nCC_WORKER_RESTART=no");

        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        var worker = await WaitForWorkerAsync(server, w => w.GetProperty("status").GetString() is not ("running" or "starting"));

        Assert.Equal(0, worker.GetProperty("restarts").GetInt32());
        Assert.Equal(7, worker.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task WorkerRestartDelay_Long_KeepsACrashedWorkerWaiting()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_WORKER_COMMAND=echo ran; exit 1\nCC_WORKER_RESTART=always\nCC_WORKER_RESTART_DELAY=3600");

        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        await WaitForWorkerAsync(server, w => w.GetProperty("status").GetString() == "crashed");

        // With the default one-second delay it would have been restarted within these three seconds; an hour's
        // delay holds it (without the wait this assertion could pass even if the delay were ignored).
        await Task.Delay(TimeSpan.FromSeconds(3));
        var worker = (await InstancesAsync(server, "web")).Single(w => w.GetProperty("kind").GetString() == "worker");
        Assert.Equal("crashed", worker.GetProperty("status").GetString());
        Assert.Equal(0, worker.GetProperty("restarts").GetInt32());
    }

    [Fact]
    public async Task Task_RunsToCompletion_RecordsExitCode_AndRoutesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "job", "CC_TASK=true\nCC_RUN_COMMAND=echo migrating; exit 0");

        var deployment = await Deployer.DeployAsync(server, "job", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var stages = deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("task", stages);
        Assert.DoesNotContain("health-check", stages);
        Assert.Equal("task exited with code 0", deployment.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "task").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Task_ExitingNonZero_FailsTheDeployment()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "job", "CC_TASK=true\nCC_RUN_COMMAND=exit 5");

        var deployment = await Deployer.DeployAsync(server, "job", Deployer.Example("node"));

        Assert.Equal("task", deployment.GetProperty("failedStage").GetString());
        Assert.Contains("code 5", deployment.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppFolder_BuildsAndRunsTheSubfolder()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "APP_FOLDER=services/api");
        var repo = Path.Combine(server.Scratch, "mono");
        Directory.CreateDirectory(Path.Combine(repo, "services"));
        Directory.Move(Deployer.CopyExample(server, "node"), Path.Combine(repo, "services", "api"));
        await File.WriteAllTextAsync(Path.Combine(repo, "README.md"), "monorepo root\n");

        var deployment = await Deployer.DeployAsync(server, "web", repo);

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        Assert.StartsWith("runtime=node", (await Deployer.GetAppAsync(server, "web")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFailedHook_RunsWhenTheNewReleaseIsUnhealthy()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_RUN_COMMAND=exit 9\nCC_RUN_FAILED_HOOK=echo rollback-notified");

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.Equal("health-check", deployment.GetProperty("failedStage").GetString());
        var stages = deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal("run-failed-hook", stages[^1]);
        using var http = server.Http();
        Assert.Contains("rollback-notified", await http.GetStringAsync($"v1/apps/web/deployments/{deployment.GetProperty("id").GetString()}/events"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheDependencies_SecondDeployRestoresInstalledDependencies()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_CACHE_DEPENDENCIES=true");
        var app = Deployer.CopyExample(server, "node");
        Directory.CreateDirectory(Path.Combine(app, "local-dep"));
        await File.WriteAllTextAsync(Path.Combine(app, "local-dep", "package.json"), """{"name":"local-dep","version":"1.0.0","main":"index.js"}""");
        await File.WriteAllTextAsync(Path.Combine(app, "local-dep", "index.js"), "module.exports = 'dep';\n");
        var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app, "package.json"))).RootElement;
        var withDependency = new Dictionary<string, object?>(package.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)))
        {
            ["dependencies"] = new Dictionary<string, string> { ["local-dep"] = "file:./local-dep" },
        };
        await File.WriteAllTextAsync(Path.Combine(app, "package.json"), JsonSerializer.Serialize(withDependency));

        var first = await Deployer.DeployAsync(server, "web", app);
        var second = await Deployer.DeployAsync(server, "web", app);

        Assert.True(first.GetProperty("state").GetString() == "succeeded", Deployer.Describe(first));
        Assert.True(second.GetProperty("state").GetString() == "succeeded", Deployer.Describe(second));
        Assert.True(first.GetProperty("stages").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "dependencies"), Deployer.Describe(first));
        Assert.StartsWith("cache miss", Detail(first, "dependencies"), StringComparison.Ordinal);
        Assert.StartsWith("cache hit", Detail(second, "dependencies"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Troubleshoot_KeepsTheFailedRelease_OtherwiseItIsRemoved()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "plain", "CC_PRE_BUILD_HOOK=exit 1");
        await CreateAsync(server, "debug", "CC_PRE_BUILD_HOOK=exit 1\nCC_TROUBLESHOOT=true");

        var plain = await Deployer.DeployAsync(server, "plain", Deployer.Example("node"));
        var debug = await Deployer.DeployAsync(server, "debug", Deployer.Example("node"));

        Assert.False(ReleaseExists(server, plain));
        Assert.True(ReleaseExists(server, debug));
    }

    [Fact]
    public async Task NodeBuildToolNpmCi_WithoutLockfile_FailsWithTheReason()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "web", "CC_NODE_BUILD_TOOL=npm-ci");

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.Equal("failed", deployment.GetProperty("state").GetString());
        Assert.Contains("lock", deployment.GetProperty("failureReason").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NodeVersion_NotInstalledOnTheHost_IsRefusedListingWhatIs()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);

        var result = await server.Cli().RunAsync("env", "set", "CC_NODE_VERSION", "4", "--app", "web");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("CC_NODE_VERSION", result.Error, StringComparison.Ordinal);
        Assert.Contains("20", result.Error, StringComparison.Ordinal);
    }

    private static async Task CreateAsync(RunningServer server, string app, string dotenv)
    {
        Assert.Equal(0, (await server.Cli().RunAsync("create", app, "-t", "node")).ExitCode);
        var import = await server.Cli().RunWithInputAsync(dotenv + "\n", "env", "import", "--app", app);
        Assert.True(import.ExitCode == 0, import.ToString());
    }

    private static string Detail(JsonElement deployment, string stage) =>
        deployment.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stage).GetProperty("detail").GetString() ?? string.Empty;

    private static bool ReleaseExists(RunningServer server, JsonElement deployment) =>
        Directory.GetDirectories(Path.Combine(server.DataDirectory, "apps")).Any(app => Directory.Exists(Path.Combine(app, "releases", deployment.GetProperty("id").GetString()!)));

    private static async Task<List<JsonElement>> InstancesAsync(RunningServer server, string app)
    {
        using var http = server.Http();
        return [.. JsonDocument.Parse(await http.GetStringAsync($"v1/apps/{app}/instances")).RootElement.EnumerateArray()];
    }

    private static async Task<JsonElement> WaitForWorkerAsync(RunningServer server, Func<JsonElement, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await InstancesAsync(server, "web")).FirstOrDefault(w => w.GetProperty("kind").GetString() == "worker" && condition(w)) is { ValueKind: JsonValueKind.Object } worker)
            {
                return worker;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the worker never reached the expected state");
    }

    private static async Task<string> WaitForOutputAsync(RunningServer server, string fileSuffix, string expected)
    {
        for (var i = 0; i < 300; i++)
        {
            var file = Directory.GetFiles(Path.Combine(server.DataDirectory, "logs", "apps"), "*" + fileSuffix, SearchOption.AllDirectories).FirstOrDefault();
            if (file is not null && (await File.ReadAllTextAsync(file)).Contains(expected, StringComparison.Ordinal))
            {
                return await File.ReadAllTextAsync(file);
            }

            await Task.Delay(100);
        }

        return string.Empty;
    }
}

using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Steps;

public sealed class StepRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string> Env(params (string, string)[] extra)
    {
        var env = new Dictionary<string, string> { ["PATH"] = BuildHarness.Tools.SearchPath };
        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return env;
    }

    [Fact]
    public async Task Run_Command_StreamsStdoutAndStderrLinesWithOnlyTheGivenEnvironment()
    {
        var step = new BuildStep("echo", BuildStage.Build, "echo \"type=$INSTANCE_TYPE\"; echo oops >&2; echo \"home=${HOME:-unset}\"; pwd", _temp.Path);
        var lines = new List<OutputLine>();

        var result = await BuildHarness.StepRunner().RunAsync(step, Env(("INSTANCE_TYPE", "build")), l => { lock (lines) { lines.Add(l); } }, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(new OutputLine("stdout", "type=build"), lines);
        Assert.Contains(new OutputLine("stderr", "oops"), lines);
        Assert.Contains(new OutputLine("stdout", "home=unset"), lines);
        Assert.Contains(new OutputLine("stdout", _temp.Path), lines);
    }

    [Fact]
    public async Task Run_FailingCommand_ReturnsExitCodeAndDescribesTheStep()
    {
        var step = new BuildStep("pre-build hook", BuildStage.PreBuildHook, "exit 7", _temp.Path);

        var result = await BuildHarness.StepRunner().RunAsync(step, Env(), _ => { }, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("step 'pre-build hook' (PreBuildHook) failed with exit code 7", result.Describe());
    }

    [Fact]
    public async Task Run_Cancelled_KillsTheWholeProcessGroup()
    {
        var pidFile = _temp.Combine("child.pid");
        var step = new BuildStep("sleepy", BuildStage.Build, $"sleep 300 & echo $! > {pidFile}; echo started; wait", _temp.Path);
        using var cts = new CancellationTokenSource();

        var run = BuildHarness.StepRunner().RunAsync(step, Env(), l => { if (l.Text == "started") { cts.Cancel(); } }, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var child = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        await WaitGoneAsync(child);
    }

    [Fact]
    public async Task Run_StepLeavingABackgroundProcess_KillsItWhenTheStepEnds()
    {
        var pidFile = _temp.Combine("daemon.pid");
        var step = new BuildStep("leaky hook", BuildStage.PostBuildHook, $"sleep 300 > /dev/null 2>&1 & echo $! > {pidFile}", _temp.Path);

        var result = await BuildHarness.StepRunner().RunAsync(step, Env(), _ => { }, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        var daemon = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        await WaitGoneAsync(daemon);
    }

    [Fact]
    public async Task Build_HooksRunInOrder_AndAFailingHookStopsTheBuild()
    {
        await File.WriteAllTextAsync(_temp.Combine("Procfile"), "web: echo serve");
        var release = _temp.Path;
        var settings = new BuildSettings { PreBuildHook = "echo pre >> order.txt", PostBuildHook = "echo post >> order.txt; exit 3" };

        var (_, result, log) = await BuildHarness.BuildAsync(release, null, settings);

        Assert.Equal(["pre", "post"], await File.ReadAllLinesAsync(_temp.Combine("order.txt")));
        Assert.False(result.Succeeded);
        Assert.Equal("post-build hook", result.Failure!.Step.Name);
        Assert.Equal(3, result.Failure.ExitCode);
        Assert.Equal(["start:pre-build hook", "end:pre-build hook:0", "start:post-build hook", "end:post-build hook:3"], log.Events);
        var error = Assert.Throws<Nuage.Core.Errors.NuageException>(result.EnsureSuccess);
        Assert.Equal("build_failed", error.Code);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_FailingPreBuildHook_RunsNothingAfterIt()
    {
        await File.WriteAllTextAsync(_temp.Combine("Procfile"), "web: echo serve");
        var settings = new BuildSettings { PreBuildHook = "exit 2", PostBuildHook = "touch post-ran" };

        var (_, result, _) = await BuildHarness.BuildAsync(_temp.Path, null, settings);

        Assert.Equal("pre-build hook", result.Failure!.Step.Name);
        Assert.Single(result.Steps);
        Assert.False(File.Exists(_temp.Combine("post-ran")));
    }

    private static async Task WaitGoneAsync(int pid)
    {
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"process {pid} still running");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}

using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;
using Nuage.Core.Sandboxing;

namespace Nuage.Build.Tests.Steps;

/// <summary>
/// The seam StepRunner starts steps through. The sandbox here is a test double that starts the real bash with a
/// marker variable and records the calls, because the real sandbox lives in Nuage.Runtime (covered by functional tests).
/// </summary>
public sealed class StepSandboxSeamTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_ThroughASandbox_StartsItsProgramWithItsEnvironment_AndKillsItsLeftoversAfterwards()
    {
        var sandbox = new RecordingSandbox(reason: null);
        var step = new BuildStep("probe", BuildStage.Build, "echo \"via=$VIA\"", _temp.Path);
        var lines = new List<OutputLine>();

        var result = await BuildHarness.StepRunner().RunAsync(
            new StepLaunch(step, new Dictionary<string, string>(), [_temp.Path]), sandbox, l => { lock (lines) { lines.Add(l); } }, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Contains(new OutputLine("stdout", "via=sandbox"), lines);
        Assert.Equal([_temp.Path], sandbox.Launch!.WritableDirectories);
        Assert.Equal(1, sandbox.Kills);
        Assert.True(sandbox.Disposed);
        Assert.Null(result.Reason);
    }

    [Fact]
    public async Task Run_FailingStep_TheSandboxExplains_ReasonIsInTheResultAndItsDescription()
    {
        var sandbox = new RecordingSandbox(reason: "killed by the build memory limit (64 MiB)");
        var step = new BuildStep("hungry", BuildStage.Dependencies, "exit 137", _temp.Path);

        var result = await BuildHarness.StepRunner().RunAsync(new StepLaunch(step, new Dictionary<string, string>(), []), sandbox, _ => { }, CancellationToken.None);

        Assert.Equal(137, result.ExitCode);
        Assert.Equal("killed by the build memory limit (64 MiB)", result.Reason);
        Assert.Equal("step 'hungry' (Dependencies) failed with exit code 137: killed by the build memory limit (64 MiB)", result.Describe());
    }

    [Fact]
    public async Task Run_Cancelled_KillsThroughTheSandboxToo()
    {
        var sandbox = new RecordingSandbox(reason: null);
        var step = new BuildStep("sleep", BuildStage.Build, "echo started; exec sleep 60", _temp.Path);
        using var cancel = new CancellationTokenSource();

        var run = BuildHarness.StepRunner().RunAsync(new StepLaunch(step, new Dictionary<string, string>(), []), sandbox, l =>
        {
            if (l.Text == "started")
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, sandbox.Kills);
        Assert.True(sandbox.Disposed);
    }

    private sealed class RecordingSandbox(string? reason) : IStepSandbox
    {
        public StepCommand? Launch { get; private set; }

        public int Kills { get; set; }

        public bool Disposed { get; set; }

        public Task<ISandboxedStep> PrepareAsync(StepCommand launch, CancellationToken cancellationToken)
        {
            Launch = launch;
            return Task.FromResult<ISandboxedStep>(new Step(this, launch.Command, reason));
        }

        private sealed class Step(RecordingSandbox owner, string command, string? reason) : ISandboxedStep
        {
            public string FileName => "bash";

            public IReadOnlyList<string> Arguments => ["-c", command];

            public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["PATH"] = BuildHarness.Tools.SearchPath, ["VIA"] = "sandbox" };

            public Task KillAsync()
            {
                owner.Kills++;
                return Task.CompletedTask;
            }

            public string? ExplainFailure(int exitCode) => reason;

            public ValueTask DisposeAsync()
            {
                owner.Disposed = true;
                return ValueTask.CompletedTask;
            }
        }
    }
}

using Nuage.Cli.Commands;
using Nuage.Cli.Deploy;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Variables;

namespace Nuage.Cli.Tests.Deploy;

public sealed class DeployCommandTests
{
    [Fact]
    public async Task Deploy_OutsideAGitWorkTree_ExitsWith2AndSaysWhy()
    {
        var dir = Directory.CreateTempSubdirectory("nuage-nogit-");
        try
        {
            var (code, _, error) = await RunAsync(dir.FullName, "deploy", "--app", "demo");

            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains("not inside a git work tree", error, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("disabled", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void SubmodulesDisabled_ReadsTheVariableThroughTheRegistry(string? value, bool expected)
    {
        var variables = new Dictionary<string, string> { ["OTHER"] = "x" };
        if (value is not null)
        {
            variables[KnownVariables.DisableGitSubmodules.Name] = value;
        }

        Assert.Equal(expected, DeployCommand.SubmodulesDisabled(new EnvDto(variables, [])));
    }

    [Theory]
    [InlineData(450L, "0.5s")]
    [InlineData(12_345L, "12.3s")]
    [InlineData(125_000L, "2m 05s")]
    [InlineData(3_725_000L, "1h 02m")]
    public void Durations_Format_ReadsAsAPersonWouldSayIt(long ms, string expected) =>
        Assert.Equal(expected, Durations.Format(ms));

    [Fact]
    public void Progress_DescribesStagesWhenTheyEndAndIndentsOutput()
    {
        var time = DateTimeOffset.UnixEpoch;

        Assert.Null(DeployProgress.Describe(new DeploymentEventDto { Seq = 1, Time = time, Type = "stage-started", Stage = "build" }));
        Assert.Equal("✓ " + "build".PadRight(18) + "  12.3s", DeployProgress.Describe(new DeploymentEventDto { Seq = 2, Time = time, Type = "stage-finished", Stage = "build", State = "succeeded", DurationMs = 12_300 }));
        Assert.Equal("    npm WARN deprecated", DeployProgress.Describe(new DeploymentEventDto { Seq = 3, Time = time, Type = "output", Stage = "build", Message = "npm WARN deprecated" }));
        Assert.Equal("✗ " + "health-check".PadRight(18) + "  30.0s  no answer on /", DeployProgress.Describe(new DeploymentEventDto { Seq = 4, Time = time, Type = "stage-finished", Stage = "health-check", State = "failed", DurationMs = 30_000, Message = "no answer on /" }));
        Assert.Equal("- " + "pre-build-hook".PadRight(18) + "  skipped", DeployProgress.Describe(new DeploymentEventDto { Seq = 5, Time = time, Type = "stage-finished", Stage = "pre-build-hook", State = "skipped" }));
    }

    [Fact]
    public void ActivityRow_ShowsShortCommitSubjectAndFailure()
    {
        var row = ActivityCommand.Row(new DeploymentDto
        {
            Id = "dep_1",
            App = "demo",
            State = "failed",
            Kind = "push",
            CommitId = "0123456789abcdef0123456789abcdef01234567",
            CommitMessage = "Fix the thing\n\nlong body",
            CreatedAt = DateTimeOffset.Parse("2025-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
            DurationMs = 4200,
            FailedStage = "build",
            FailureReason = "npm run build exited with 1",
        });

        Assert.Equal(["dep_1", "failed", "push", "0123456 Fix the thing", "2025-01-02 03:04:05Z", "4.2s", "build: npm run build exited with 1"], row);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string directory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            WorkingDirectory = directory,
            ConfigDirectory = Path.Combine(directory, ".config"),
            Variables = new Dictionary<string, string> { ["NUAGE_URL"] = "http://127.0.0.1:9", ["NUAGE_TOKEN"] = "unused" },
        };
        var code = await CliApp.RunAsync(env, args, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}

using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Examples;

/// <summary>Real builds of examples/ with the host's toolchains, and real starts of the built apps.</summary>
public sealed class ExampleBuildTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Static_Example_HasNothingToBuildAndServesItsFolder()
    {
        var release = BuildHarness.CopyExample("static", _temp.Path);

        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());

        Assert.True(result.Succeeded);
        Assert.Empty(result.Steps);
        Assert.Equal(StartKind.Static, plan.Start.Kind);
        Assert.True(File.Exists(Path.Combine(plan.Start.StaticRoot!, "index.html")));
    }

    [Fact]
    public async Task Php_Example_ComposerInstallsAndHttpdWithFpmAnswers()
    {
        var release = BuildHarness.CopyExample("php", _temp.Path);

        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());

        Assert.True(result.Succeeded);
        Assert.Equal("composer install", Assert.Single(result.Steps).Step.Name);
        Assert.Equal(StartKind.Php, plan.Start.Kind);
        Assert.Equal("runtime=php instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
        Assert.Equal("ok\n", await BuildHarness.StartAndGetAsync(plan.Start, "/health"));
    }

    [Fact]
    public async Task Node_Example_BuildsWithoutInstallAndAnswers()
    {
        var release = BuildHarness.CopyExample("node", _temp.Path);

        var (plan, result, _) = await BuildHarness.BuildAsync(release, "node", new BuildSettings());

        Assert.True(result.Succeeded);
        Assert.Equal("node index.js", plan.Start.Command);
        Assert.Equal("runtime=node instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
        Assert.Equal("ok\n", await BuildHarness.StartAndGetAsync(plan.Start, "/health"));
    }

    [Fact]
    public async Task Python_Example_BuildsAVirtualenvAndAnswers()
    {
        var release = BuildHarness.CopyExample("python", _temp.Path);

        var (plan, result, log) = await BuildHarness.BuildAsync(release, null, new BuildSettings());

        Assert.True(result.Succeeded, log.Output("create virtualenv") + log.Output("pip install"));
        Assert.True(File.Exists(Path.Combine(release, ".venv", "bin", "python")));
        Assert.Equal("python app.py", plan.Start.Command);
        Assert.True(result.RuntimeCommandsDuration > TimeSpan.Zero);
        Assert.Equal("runtime=python instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task Procfile_Example_StartsTheWebLine()
    {
        var release = BuildHarness.CopyExample("procfile", _temp.Path);

        var (plan, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings());

        Assert.True(result.Succeeded);
        Assert.Equal("python3 server.py", plan.Start.Command);
        Assert.Equal("runtime=procfile instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task Go_Example_BuildsABinaryAndAnswers()
    {
        var release = BuildHarness.CopyExample("go", _temp.Path);

        var (plan, result, log) = await BuildHarness.BuildAsync(release, null, new BuildSettings());

        Assert.True(result.Succeeded, log.Output("go build"));
        Assert.True(File.Exists(Path.Combine(release, BuildPlanner.GoBinary)));
        Assert.Equal("exec ./.nuage/bin/app", plan.Start.Command);
        Assert.Equal("runtime=go instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task Dotnet_Example_PublishesAndStartCommandRunsTheDll()
    {
        var release = BuildHarness.CopyExample("dotnet", _temp.Path);

        // The server always passes CC_DOTNET_PROFILE (default Release); as a publish profile it warned NETSDK1198.
        var settings = new BuildSettings { DotnetProfile = Nuage.Core.Variables.KnownVariables.DotnetProfile.Default };
        var (plan, result, log) = await BuildHarness.BuildAsync(release, null, settings);

        Assert.True(result.Succeeded, log.Output("dotnet publish"));
        Assert.DoesNotContain("NETSDK1198", log.Output("dotnet publish"), StringComparison.Ordinal);
        Assert.Contains("/bin/Release/", log.Output("dotnet publish"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(release, ".nuage", "publish", "Example.dll")));
        Assert.Equal("ASPNETCORE_HTTP_PORTS=$PORT exec dotnet .nuage/publish/Example.dll", plan.Start.Command);
        Assert.Equal("runtime=dotnet instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task BuildResult_ReportsRuntimeCommandTimeApartFromHooks()
    {
        var release = BuildHarness.CopyExample("python", _temp.Path);

        var (_, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings { PreBuildHook = "sleep 0.2" });

        Assert.True(result.Succeeded);
        var hook = result.Steps.Single(s => s.Step.Stage == BuildStage.PreBuildHook).Duration;
        Assert.Equal(result.CommandsDuration - hook, result.RuntimeCommandsDuration);
        Assert.True(result.Duration >= result.CommandsDuration);
    }
}

using Nuage.Build.Detection;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Planning;

/// <summary>Static sites with a build (package.json script or CC_BUILD_COMMAND), CC_WEBROOT, and the web root check after the build.</summary>
public sealed class StaticBuildTests : IDisposable
{
    /// <summary>A build script that needs nothing from the npm registry: node writes dist/index.html.</summary>
    private const string PackageJsonWithBuild = """
        {"name":"site","private":true,"scripts":{"build":"node build.js"}}
        """;

    private const string BuildScript = """
        const fs = require('fs');
        fs.mkdirSync('dist', { recursive: true });
        fs.writeFileSync('dist/index.html', '<h1>built by node</h1>\n');
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task WriteAsync(string name, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_temp.Combine(name))!);
        return File.WriteAllTextAsync(_temp.Combine(name), content);
    }

    private async Task<BuildPlan> PlanAsync(BuildSettings settings)
    {
        var app = await RuntimeDetector.DetectAsync(_temp.Path, "static", settings, CancellationToken.None);
        return BuildHarness.Planner().Plan(app, settings);
    }

    [Fact]
    public async Task PackageJsonBuildScript_IsRun_AndTheWebRootIsServed()
    {
        await WriteAsync("package.json", PackageJsonWithBuild);

        var plan = await PlanAsync(new BuildSettings { WebRoot = "dist" });

        var build = Assert.Single(plan.Steps);
        Assert.Equal(("npm run build", BuildStage.Build), (build.Command, build.Stage));
        Assert.Contains("package.json declares no dependencies; install skipped", plan.Notes);
        Assert.Equal(StartKind.Static, plan.Start.Kind);
        Assert.Equal(_temp.Combine("dist"), plan.Start.StaticRoot);
    }

    [Fact]
    public async Task Build_WithoutWebRoot_NotesThatTheAppFolderIsServed()
    {
        await WriteAsync("package.json", PackageJsonWithBuild);
        await WriteAsync("index.html", "<script type=module src=/src/main.js></script>");

        var plan = await PlanAsync(new BuildSettings());

        Assert.Equal(_temp.Path, plan.Start.StaticRoot);
        Assert.Contains(plan.Notes, note => note.StartsWith("the site is built but CC_WEBROOT is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PackageJsonWithDependencies_InstallsDevDependenciesToo()
    {
        await WriteAsync("package.json", """{"devDependencies":{"vite":"5"},"scripts":{"build":"vite build"}}""");

        var plan = await PlanAsync(new BuildSettings { WebRoot = "/dist" });

        Assert.Equal(["npm install", "npm run build"], plan.Steps.Select(s => s.Command));
        Assert.Equal(_temp.Combine("dist"), plan.Start.StaticRoot);
    }

    [Fact]
    public async Task BuildCommand_WinsOverThePackageJsonScript()
    {
        await WriteAsync("package.json", PackageJsonWithBuild);

        var plan = await PlanAsync(new BuildSettings { BuildCommand = "hugo --minify", WebRoot = "public" });

        var build = Assert.Single(plan.Steps);
        Assert.Equal(("build command", "hugo --minify", BuildStage.Build), (build.Name, build.Command, build.Stage));
        Assert.Equal(_temp.Combine("public"), plan.Start.StaticRoot);
    }

    [Fact]
    public async Task NoBuild_ServesTheAppFolder()
    {
        await WriteAsync("index.html", "<p>hi</p>");

        var plan = await PlanAsync(new BuildSettings { WebRoot = "/" });

        Assert.Empty(plan.Steps);
        Assert.Equal(_temp.Path, plan.Start.StaticRoot);
    }

    [Fact]
    public async Task Php_WebRoot_IsTheDocumentRoot()
    {
        await WriteAsync("public/index.php", "<?php echo 1;");
        var settings = new BuildSettings { WebRoot = "public" };
        var app = await RuntimeDetector.DetectAsync(_temp.Path, "php", settings, CancellationToken.None);

        var plan = BuildHarness.Planner().Plan(app, settings);

        Assert.Equal(StartKind.Php, plan.Start.Kind);
        Assert.Equal(_temp.Combine("public"), plan.Start.StaticRoot);
        Assert.Equal(_temp.Path, plan.Start.WorkingDirectory);
    }

    [Fact]
    public async Task Build_WritesTheWebRoot_Succeeds()
    {
        await WriteAsync("package.json", PackageJsonWithBuild);
        await WriteAsync("build.js", BuildScript);

        var (plan, result, log) = await BuildHarness.BuildAsync(_temp.Path, "static", new BuildSettings { WebRoot = "dist" });

        Assert.True(result.Succeeded, log.Output("npm run build"));
        Assert.Equal("<h1>built by node</h1>\n", await File.ReadAllTextAsync(Path.Combine(plan.Start.StaticRoot!, "index.html")));
    }

    [Fact]
    public async Task Build_WithoutWebRoot_FailsTheBuildNamingTheFolderToServe()
    {
        await WriteAsync("package.json", PackageJsonWithBuild);
        await WriteAsync("build.js", BuildScript);

        var (_, result, _) = await BuildHarness.BuildAsync(_temp.Path, "static", new BuildSettings());

        var failure = Assert.IsType<StepResult>(result.Failure);
        Assert.Equal((WebRootCheck.StepName, BuildStage.Build), (failure.Step.Name, failure.Step.Stage));
        Assert.Contains("has no index.html or index.htm", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("set CC_WEBROOT=dist", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebRoot_TheBuildDidNotWrite_FailsTheBuild()
    {
        await WriteAsync("index.html", "<p>sources</p>");

        var (_, result, _) = await BuildHarness.BuildAsync(_temp.Path, "static", new BuildSettings { BuildCommand = "true", WebRoot = "dist" });

        Assert.Contains("the web root 'dist' does not exist after the build", result.Failure?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticAppWithoutAnyIndex_FailsAtTheBuildStage_EvenWithoutSteps()
    {
        await WriteAsync("README.md", "no site here");

        var (_, result, log) = await BuildHarness.BuildAsync(_temp.Path, "static", new BuildSettings());

        Assert.Equal(BuildStage.Build, result.Failure?.Step.Stage);
        Assert.Contains("(the app folder) has no index.html", result.Failure?.Reason, StringComparison.Ordinal);
        Assert.Contains("start:" + WebRootCheck.StepName, log.Events);
    }

    [Fact]
    public async Task WebRoot_ThroughASymbolicLink_IsRefused()
    {
        Directory.CreateDirectory(_temp.Combine("real"));
        await WriteAsync("real/index.html", "x");
        File.CreateSymbolicLink(_temp.Combine("dist"), "/etc");

        var (_, result, _) = await BuildHarness.BuildAsync(_temp.Path, "static", new BuildSettings { WebRoot = "dist" });

        Assert.Contains("goes through the symbolic link 'dist'", result.Failure?.Reason, StringComparison.Ordinal);
    }
}

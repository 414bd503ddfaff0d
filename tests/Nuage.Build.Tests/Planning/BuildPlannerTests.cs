using NodeBuildTool = Nuage.Core.Variables.NodeBuildTool;
using Nuage.Build.Detection;
using Nuage.Build.Planning;
using Nuage.Build.Tests.Support;
using Nuage.Core.Errors;

namespace Nuage.Build.Tests.Planning;

public sealed class BuildPlannerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<BuildPlan> PlanAsync(BuildSettings settings, string? runtime = null, HostTools? tools = null)
    {
        var app = await RuntimeDetector.DetectAsync(_temp.Path, runtime, settings, CancellationToken.None);
        return new BuildPlanner(tools ?? BuildHarness.Tools).Plan(app, settings);
    }

    private Task WriteAsync(string name, string content) => File.WriteAllTextAsync(_temp.Combine(name), content);

    [Fact]
    public async Task Node_WithLockfileAndBuildScript_PlansNpmCiThenBuildAndNpmStart()
    {
        await WriteAsync("package.json", """{"dependencies":{"a":"1"},"scripts":{"build":"tsc","start":"node dist/x.js"}}""");
        await WriteAsync("package-lock.json", "{}");

        var plan = await PlanAsync(new BuildSettings { CacheDependencies = true });

        Assert.Equal(["npm ci --omit=dev", "npm run build"], plan.Steps.Select(s => s.Command));
        Assert.Equal("npm start", plan.Start.Command);
        Assert.Equal(["node_modules"], plan.Cache!.ReleaseDirectories);
        Assert.Equal(["package-lock.json"], plan.Cache.KeyFiles);
    }

    [Fact]
    public async Task Node_WithoutLockfileWithDevDependencies_PlansNpmInstallAndNodeMain()
    {
        await WriteAsync("package.json", """{"main":"server.js","devDependencies":{"a":"1"}}""");
        await WriteAsync("server.js", "");

        var plan = await PlanAsync(new BuildSettings { NodeDevDependencies = true });

        Assert.Equal(["npm install"], plan.Steps.Select(s => s.Command));
        Assert.Equal("node server.js", plan.Start.Command);
        Assert.Null(plan.Cache);
    }

    [Fact]
    public async Task Node_NoDependenciesDeclared_SkipsInstallWithANote()
    {
        await WriteAsync("package.json", """{"main":"index.js"}""");
        await WriteAsync("index.js", "");

        var plan = await PlanAsync(new BuildSettings());

        Assert.Empty(plan.Steps);
        Assert.Contains(plan.Notes, n => n.Contains("install skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Node_StartPrecedence_RunCommandThenProcfileWeb()
    {
        await WriteAsync("package.json", """{"scripts":{"start":"node a.js"}}""");
        await WriteAsync("Procfile", "web: node procfile.js\nworker: node worker.js\nrelease: node migrate.js");

        var fromProcfile = await PlanAsync(new BuildSettings());
        var fromRunCommand = await PlanAsync(new BuildSettings { RunCommand = "node run.js" });

        Assert.Equal("node procfile.js", fromProcfile.Start.Command);
        Assert.Equal("node run.js", fromRunCommand.Start.Command);
        Assert.Equal("worker", Assert.Single(fromProcfile.Start.Workers).Name);
        Assert.Equal("node migrate.js", fromProcfile.Start.ReleaseCommand);
    }

    [Fact]
    public async Task Node_NpmCiWithoutLockfile_FailsNamingTheSetting()
    {
        await WriteAsync("package.json", """{"dependencies":{"a":"1"},"scripts":{"start":"x"}}""");

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings { NodeBuildTool = NodeBuildTool.NpmCi }));

        Assert.Equal("invalid_build", error.Code);
        Assert.Equal(nameof(BuildSettings.NodeBuildTool), Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task Hooks_AreFirstAndLastAroundRuntimeSteps()
    {
        await WriteAsync("requirements.txt", "");
        await WriteAsync("app.py", "");

        var plan = await PlanAsync(new BuildSettings { PreBuildHook = "echo pre", PostBuildHook = "echo post" });

        Assert.Equal(["pre-build hook", "create virtualenv", "pip install", "post-build hook"], plan.Steps.Select(s => s.Name));
        Assert.Equal("python app.py", plan.Start.Command);
        Assert.Contains(plan.Start.PathPrepend, p => p.EndsWith(".venv/bin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Python_ModuleWithShellCharacters_IsQuoted()
    {
        await WriteAsync("requirements.txt", "");

        var plan = await PlanAsync(new BuildSettings { PythonModule = "app:x; touch /tmp/pwned" });

        Assert.Contains("exec gunicorn --bind 127.0.0.1:$PORT 'app:x; touch /tmp/pwned';", plan.Start.Command, StringComparison.Ordinal);
        Assert.Contains("exec uvicorn --host 127.0.0.1 --port $PORT 'app:x; touch /tmp/pwned';", plan.Start.Command, StringComparison.Ordinal);
        Assert.DoesNotContain(" app:x; touch", plan.Start.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_StartsNoProcessAndServesTheAppFolder()
    {
        await WriteAsync("index.html", "");

        var plan = await PlanAsync(new BuildSettings());

        Assert.Equal(StartKind.Static, plan.Start.Kind);
        Assert.Equal(_temp.Path, plan.Start.StaticRoot);
        Assert.Null(plan.Start.Command);
    }

    [Fact]
    public async Task MissingTool_FailsWithInstallHint()
    {
        await WriteAsync("go.mod", "module x");
        var emptyPath = _temp.Combine("no-tools");
        Directory.CreateDirectory(emptyPath);

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings(), tools: new HostTools(emptyPath)));

        Assert.Equal("runtime_unavailable", error.Code);
        Assert.Contains("apt-get install golang-go", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Php_WithoutComposerOnHost_FailsWithInstallHint_AndCommittedPharNeedsPhpInstead()
    {
        await WriteAsync("composer.json", "{}");
        var emptyPath = _temp.Combine("no-tools");
        Directory.CreateDirectory(emptyPath);

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings(), tools: new HostTools(emptyPath)));
        await WriteAsync("composer.phar", "");
        var bundled = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings(), tools: new HostTools(emptyPath)));

        Assert.Contains("apt-get install composer", error.Message, StringComparison.Ordinal);
        Assert.Contains("'php'", bundled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Php_PlansComposerInstallAndAPhpStartKindWithHttpdAndFpm()
    {
        await WriteAsync("composer.json", "{}");
        var root = _temp.Combine("host");
        var bin = Path.Combine(root, "sbin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "composer", "php-fpm8.1", "php-fpm8.3", "php-fpm8.10-old", "apache2" })
        {
            await File.WriteAllTextAsync(Path.Combine(bin, tool), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(bin, tool), (UnixFileMode)0b111_101_101);
        }

        Directory.CreateDirectory(Path.Combine(root, "lib", "apache2", "modules"));
        await File.WriteAllTextAsync(Path.Combine(root, "lib", "apache2", "modules", "mod_proxy_fcgi.so"), "");

        var plan = await PlanAsync(new BuildSettings(), tools: new HostTools(bin));

        Assert.Equal("composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader", Assert.Single(plan.Steps).Command);
        Assert.Equal(StartKind.Php, plan.Start.Kind);
        Assert.Equal(_temp.Path, plan.Start.StaticRoot);
        Assert.Equal(new PhpHost(Path.Combine(bin, "php-fpm8.3"), Path.Combine(bin, "apache2"), Path.Combine(root, "lib", "apache2", "modules")), plan.Start.Php);
    }

    [Fact]
    public async Task Php_WithoutFpmOrHttpd_FailsNamingBothPackages()
    {
        await WriteAsync("index.php", "<?php");
        var emptyPath = _temp.Combine("no-tools");
        Directory.CreateDirectory(emptyPath);

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings(), tools: new HostTools(emptyPath)));

        Assert.Equal("runtime_unavailable", error.Code);
        Assert.Contains("apt-get install php-fpm", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install apache2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Release")]
    [InlineData("Release", "Release")]
    [InlineData("Debug", "Debug")]
    public async Task Dotnet_Profile_IsTheBuildConfiguration_NotAPublishProfile(string? profile, string configuration)
    {
        await WriteAsync("Api.csproj", "<Project />");

        var plan = await PlanAsync(new BuildSettings { DotnetProfile = profile });

        Assert.Equal($"dotnet publish Api.csproj -c {configuration} -o .nuage/publish --nologo", Assert.Single(plan.Steps).Command);
    }

    [Fact]
    public async Task Dotnet_SeveralProjects_FailsAskingToChoose_AndChoiceWins()
    {
        await WriteAsync("Api.csproj", "<Project><PropertyGroup><AssemblyName>My.Api</AssemblyName></PropertyGroup></Project>");
        await WriteAsync("Tool.csproj", "<Project />");

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings()));
        var plan = await PlanAsync(new BuildSettings { DotnetProj = "Api", DotnetTfm = "net10.0" });

        Assert.Equal(nameof(BuildSettings.DotnetProj), Assert.Single(error.Errors).Field);
        Assert.Equal("dotnet publish Api.csproj -c Release -o .nuage/publish --nologo -f net10.0", Assert.Single(plan.Steps).Command);
        Assert.EndsWith("dotnet .nuage/publish/My.Api.dll", plan.Start.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Procfile_WithoutWebOrRunCommand_FailsNamingRunCommand()
    {
        await WriteAsync("Procfile", "worker: x");

        var error = await Assert.ThrowsAsync<NuageException>(() => PlanAsync(new BuildSettings()));

        Assert.Equal(nameof(BuildSettings.RunCommand), Assert.Single(error.Errors).Field);
    }
}

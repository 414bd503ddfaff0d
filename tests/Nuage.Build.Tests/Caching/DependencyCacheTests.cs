using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Caching;

/// <summary>Two real builds of the same app into two releases sharing one cache folder.</summary>
public sealed class DependencyCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Cache => _temp.Combine("cache");

    [Fact]
    public async Task Node_SecondBuildWithSameLockfile_HitsCacheSkipsInstallAndStaysIndependent()
    {
        var settings = new BuildSettings { CacheDependencies = true };
        var first = await NodeReleaseAsync("r1");
        var second = await NodeReleaseAsync("r2");

        var (_, miss, _) = await BuildHarness.BuildAsync(first, null, settings, Cache);
        var (plan, hit, log) = await BuildHarness.BuildAsync(second, null, settings, Cache);

        Assert.Equal(CacheOutcome.Miss, miss.Cache);
        Assert.True(miss.Succeeded);
        Assert.Equal(CacheOutcome.Hit, hit.Cache);
        Assert.True(hit.Succeeded);
        Assert.True(Assert.Single(hit.Steps).Skipped);
        Assert.Contains("skipped:npm install", log.Events);
        Directory.Delete(first, recursive: true);
        Assert.Equal("runtime=node-cached instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task Node_ChangedDependencies_MissesAndKeepsOnlyTheNewestEntry()
    {
        var settings = new BuildSettings { CacheDependencies = true };
        var first = await NodeReleaseAsync("r1");
        var second = await NodeReleaseAsync("r2", extraDependency: true);

        await BuildHarness.BuildAsync(first, null, settings, Cache);
        var (_, result, _) = await BuildHarness.BuildAsync(second, null, settings, Cache);

        Assert.Equal(CacheOutcome.Miss, result.Cache);
        Assert.Single(Directory.EnumerateDirectories(Cache, "node-*"));
    }

    [Fact]
    public async Task Python_CachedVirtualenv_IsRelocatedToTheNewRelease()
    {
        var settings = new BuildSettings { CacheDependencies = true, RunCommand = "python app.py" };
        var first = BuildHarness.CopyExample("python", _temp.Path, "r1");
        var second = BuildHarness.CopyExample("python", _temp.Path, "r2");

        var (_, miss, _) = await BuildHarness.BuildAsync(first, null, settings, Cache);
        var (plan, hit, _) = await BuildHarness.BuildAsync(second, null, settings, Cache);

        Assert.Equal(CacheOutcome.Miss, miss.Cache);
        Assert.Equal(CacheOutcome.Hit, hit.Cache);
        Assert.All(hit.Steps, s => Assert.True(s.Skipped));
        var activate = await File.ReadAllTextAsync(Path.Combine(second, ".venv", "bin", "activate"));
        Assert.Contains(second, activate, StringComparison.Ordinal);
        Assert.DoesNotContain(first + "/", activate, StringComparison.Ordinal);
        Directory.Delete(first, recursive: true);
        Assert.Equal("runtime=python instance=3 greeting=bonjour\n", await BuildHarness.StartAndGetAsync(plan.Start));
    }

    [Fact]
    public async Task Go_SecondBuild_HitsTheModuleAndBuildCache()
    {
        var settings = new BuildSettings { CacheDependencies = true };
        var first = BuildHarness.CopyExample("go", _temp.Path, "r1");
        var second = BuildHarness.CopyExample("go", _temp.Path, "r2");

        var (_, miss, _) = await BuildHarness.BuildAsync(first, null, settings, Cache);
        var (_, hit, _) = await BuildHarness.BuildAsync(second, null, settings, Cache);

        Assert.Equal(CacheOutcome.Miss, miss.Cache);
        Assert.Equal(CacheOutcome.Hit, hit.Cache);
        Assert.True(hit.Succeeded);
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(Path.Combine(Directory.EnumerateDirectories(Cache, "go-*").Single(), "tools", "gobuild")));
    }

    [Fact]
    public async Task CacheOff_NothingIsStored()
    {
        var release = await NodeReleaseAsync("r1");

        var (_, result, _) = await BuildHarness.BuildAsync(release, null, new BuildSettings(), Cache);

        Assert.Equal(CacheOutcome.Disabled, result.Cache);
        Assert.False(Directory.Exists(Cache));
    }

    /// <summary>A node app with a local <c>file:</c> dependency, so npm installs offline.</summary>
    private async Task<string> NodeReleaseAsync(string name, bool extraDependency = false)
    {
        var release = _temp.Combine(name);
        Directory.CreateDirectory(Path.Combine(release, "lib", "greet"));
        await File.WriteAllTextAsync(Path.Combine(release, "lib", "greet", "package.json"), """{"name":"greet","version":"1.0.0","main":"index.js"}""");
        await File.WriteAllTextAsync(Path.Combine(release, "lib", "greet", "index.js"), "module.exports = () => 'node-cached';\n");
        var extra = extraDependency ? ""","greet2":"file:./lib/greet" """ : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(release, "package.json"), $$$"""{"name":"app","main":"index.js","dependencies":{"greet":"file:./lib/greet"{{{extra}}}}}""");
        await File.WriteAllTextAsync(Path.Combine(release, "index.js"), """
            const http = require("node:http");
            const greet = require("greet");
            http.createServer((req, res) => res.end(`runtime=${greet()} instance=${process.env.INSTANCE_NUMBER} greeting=${process.env.GREETING}\n`))
              .listen(Number(process.env.PORT), "127.0.0.1");
            """);
        return release;
    }
}

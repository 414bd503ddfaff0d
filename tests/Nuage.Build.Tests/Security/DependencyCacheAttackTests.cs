using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Build.Caching;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Build.Tests.Support;

namespace Nuage.Build.Tests.Security;

/// <summary>
/// An app's build controls its release folder (and, before this fix, the cache): each test plants links where the
/// server, running as root, copies, rewrites or marks files, and checks nothing outside the app's own trees was
/// read or written. Real files and links in a temp folder; the server side is the real <see cref="DependencyCache"/>.
/// </summary>
public sealed class DependencyCacheAttackTests : IDisposable
{
    private const string Secret = "OTHER_APP_DATABASE_PASSWORD=hunter2";
    private readonly TempDirectory _temp = new();
    private readonly DependencyCache _cache = new(NullLogger<DependencyCache>.Instance);

    public void Dispose() => _temp.Dispose();

    private string CacheRoot => _temp.Combine("cache");

    private static CachePlan NodePlan => new("k1", "node", [], ["node_modules"], new Dictionary<string, string>());

    private static CachePlan PythonPlan => new("k1", "python", [], [".venv"], new Dictionary<string, string>());

    private static CachePlan GoPlan => new("k1", "go", [], [], new Dictionary<string, string> { ["GOMODCACHE"] = "gomod" });

    [Fact]
    public async Task Save_NodeModulesLinkedToAnotherAppsFolder_CopiesNothingOfItIntoTheCache()
    {
        var other = OtherAppFolder();
        var build = Release("r1");
        File.CreateSymbolicLink(Path.Combine(build, "node_modules"), other);

        await SaveIgnoringRefusalAsync(NodePlan, build, CacheOutcome.Miss);
        var next = Release("r2");
        await _cache.RestoreAsync(NodePlan, next, CacheRoot, CancellationToken.None);

        Assert.DoesNotContain(Secret, AllText(CacheRoot));
        Assert.DoesNotContain(Secret, AllText(next));
    }

    [Fact]
    public async Task Save_NodeModulesLinkedToARootOnlyFolder_CopiesNoneOfItsFiles()
    {
        var rootOnly = Directory.CreateDirectory(_temp.Combine("root-only")).FullName;
        var shadow = Path.Combine(rootOnly, "shadow");
        await File.WriteAllTextAsync(shadow, "root:$6$secret-hash:19000::::::\n");
        File.SetUnixFileMode(shadow, UnixFileMode.UserRead);
        var build = Release("r1");
        File.CreateSymbolicLink(Path.Combine(build, "node_modules"), rootOnly);

        await SaveIgnoringRefusalAsync(NodePlan, build, CacheOutcome.Miss);

        Assert.DoesNotContain("secret-hash", AllText(CacheRoot));
    }

    [Fact]
    public async Task Restore_CachedFolderReplacedByALinkToAnotherApp_RestoresNothingOfIt()
    {
        var other = OtherAppFolder();
        var release = Directory.CreateDirectory(Path.Combine(CacheRoot, "node-k1", "release")).FullName;
        await File.WriteAllTextAsync(Path.Combine(CacheRoot, "node-k1", ".complete"), "k1");
        File.CreateSymbolicLink(Path.Combine(release, "node_modules"), other);
        var next = Release("r2");

        var outcome = await _cache.RestoreAsync(NodePlan, next, CacheRoot, CancellationToken.None);

        Assert.Equal(CacheOutcome.Miss, outcome);
        Assert.DoesNotContain(Secret, AllText(next));
    }

    [Fact]
    public async Task Restore_TamperedOriginAndLinkedBin_DoesNotRewriteAFileOutsideTheRelease()
    {
        var etc = Directory.CreateDirectory(_temp.Combine("etc")).FullName;
        var passwd = Path.Combine(etc, "passwd");
        const string Original = "root:x:0:0:root:/root:/bin/bash\n";
        await File.WriteAllTextAsync(passwd, Original);
        var venv = Directory.CreateDirectory(Path.Combine(CacheRoot, "python-k1", "release", ".venv")).FullName;
        await File.WriteAllTextAsync(Path.Combine(CacheRoot, "python-k1", ".complete"), "k1");
        await File.WriteAllTextAsync(Path.Combine(CacheRoot, "python-k1", ".origin"), "/root:/bin/bash");
        File.CreateSymbolicLink(Path.Combine(venv, "bin"), etc);
        var next = Release("r2");

        await _cache.RestoreAsync(PythonPlan, next, CacheRoot, CancellationToken.None);

        Assert.Equal(Original, await File.ReadAllTextAsync(passwd));
    }

    [Fact]
    public async Task Save_CacheEntryLinkedElsewhere_WritesNoCompleteMarkerThere()
    {
        var elsewhere = Directory.CreateDirectory(_temp.Combine("etc-cron.d")).FullName;
        Directory.CreateDirectory(CacheRoot);
        Directory.CreateSymbolicLink(Path.Combine(CacheRoot, "go-k1"), elsewhere);

        await SaveIgnoringRefusalAsync(GoPlan, Release("r1"), CacheOutcome.Hit);

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Save_CompleteMarkerLinkedToARootOwnedFile_LeavesThatFileAlone()
    {
        var rootFile = _temp.Combine("root-owned.conf");
        await File.WriteAllTextAsync(rootFile, "important=1\n");
        Directory.CreateDirectory(Path.Combine(CacheRoot, "go-k1"));
        File.CreateSymbolicLink(Path.Combine(CacheRoot, "go-k1", ".complete"), rootFile);

        await SaveIgnoringRefusalAsync(GoPlan, Release("r1"), CacheOutcome.Hit);

        Assert.Equal("important=1\n", await File.ReadAllTextAsync(rootFile));
    }

    [Fact]
    public void ToolDirectory_CacheEntryLinkedElsewhere_IsRefusedAndCreatesNothingThere()
    {
        var elsewhere = Directory.CreateDirectory(_temp.Combine("other-app-home")).FullName;
        Directory.CreateDirectory(CacheRoot);
        Directory.CreateSymbolicLink(Path.Combine(CacheRoot, "go-k1"), elsewhere);

        Assert.ThrowsAny<IOException>(() => DependencyCache.ToolDirectory(GoPlan, CacheRoot, "gomod"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Restore_AfterAnyUse_LeavesTheCacheFolderToThePlatformOnly()
    {
        Directory.CreateDirectory(CacheRoot);
        File.SetUnixFileMode(CacheRoot, (UnixFileMode)0x1FF); // 0777, as a build that owned it could have left it

        await _cache.RestoreAsync(NodePlan, Release("r1"), CacheRoot, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(CacheRoot));
    }

    private string OtherAppFolder()
    {
        var other = Directory.CreateDirectory(_temp.Combine("apps", "other-app", "data")).FullName;
        File.WriteAllText(Path.Combine(other, "env"), Secret + "\n");
        return other;
    }

    private string Release(string name) => Directory.CreateDirectory(_temp.Combine("apps", "victim", "releases", name)).FullName;

    /// <summary>Refusing (an IOException the build runner reports as "cache not saved") is a correct outcome too.</summary>
    private async Task SaveIgnoringRefusalAsync(CachePlan plan, string appRoot, CacheOutcome outcome)
    {
        try
        {
            await _cache.SaveAsync(plan, appRoot, CacheRoot, outcome, CancellationToken.None);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The text of every regular file under <paramref name="root"/>, links not followed.</summary>
    private static string AllText(string root)
    {
        if (!Directory.Exists(root))
        {
            return "";
        }

        var files = new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint });
        return string.Concat(files.Where(f => f.LinkTarget is null).Select(f => File.ReadAllText(f.FullName)));
    }
}

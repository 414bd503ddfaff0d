using System.Formats.Tar;
using System.IO.Compression;
using Nuage.Cli.Git;

namespace Nuage.Cli.Tests.Git;

public sealed class SourceArchiveTests : IDisposable
{
    private readonly TempGit _git = new();

    public void Dispose() => _git.Dispose();

    [Fact]
    public async Task Pack_RepoWithSubmodule_ContainsTheSubmoduleFilesUnderItsPath()
    {
        var app = AppWithNestedSubmodules();

        var entries = await PackAsync(app, "HEAD", includeSubmodules: true);

        Assert.Equal("app\n", entries["index.html"]);
        Assert.Equal("lib\n", entries["vendor/lib/lib.txt"]);
        Assert.Equal("deep\n", entries["vendor/lib/deep/deep.txt"]);
        Assert.True(entries.ContainsKey(".gitmodules"));
    }

    [Fact]
    public async Task Pack_SubmodulesDisabled_LeavesTheSubmoduleOut()
    {
        var app = AppWithNestedSubmodules();

        var entries = await PackAsync(app, "HEAD", includeSubmodules: false);

        Assert.Equal("app\n", entries["index.html"]);
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("vendor/lib/", StringComparison.Ordinal) && name.Length > "vendor/lib/".Length);
    }

    [Fact]
    public async Task Pack_PathsWithSpacesAndUnicode_KeepTheirNames()
    {
        var app = _git.Repo("app", ("my dir/a file.txt", "spaced\n"), ("été/ça.txt", "accents\n"), (new string('d', 120) + "/long.txt", "long\n"));

        var entries = await PackAsync(app, "HEAD", includeSubmodules: true);

        Assert.Equal("spaced\n", entries["my dir/a file.txt"]);
        Assert.Equal("accents\n", entries["été/ça.txt"]);
        Assert.Equal("long\n", entries[new string('d', 120) + "/long.txt"]);
    }

    [Fact]
    public async Task Pack_RefOtherThanHead_PacksThatCommitAndResolvesItsSubject()
    {
        var app = _git.Repo("app", ("version.txt", "one\n"));
        TempGit.Run(app, "tag", "v1");
        TempGit.Write(app, ("version.txt", "two\n"), ("new.txt", "new\n"));
        TempGit.Commit(app, "second commit\n\nwith a body");
        var repository = await GitRepository.OpenWorkTreeAsync(app, CancellationToken.None);

        var v1 = await repository.ResolveAsync("v1", CancellationToken.None);
        var head = await repository.ResolveAsync("HEAD", CancellationToken.None);
        var entries = await PackAsync(app, "v1", includeSubmodules: true);

        Assert.Equal(v1.Id, entries["(global)"]);
        Assert.Equal("initial app", v1.Subject);
        Assert.Equal("second commit", head.Subject);
        Assert.NotEqual(v1.Id, head.Id);
        Assert.Equal(40, v1.Id.Length);
        Assert.Equal("one\n", entries["version.txt"]);
        Assert.False(entries.ContainsKey("new.txt"));
    }

    [Fact]
    public async Task Resolve_UnknownRef_FailsWithExitCode2NamingTheRef()
    {
        var app = _git.Repo("app", ("a.txt", "a\n"));
        var repository = await GitRepository.OpenWorkTreeAsync(app, CancellationToken.None);

        var error = await Assert.ThrowsAsync<Hosting.CliException>(() => repository.ResolveAsync("no-such-branch", CancellationToken.None));

        Assert.Equal(2, error.ExitCode);
        Assert.Contains("no-such-branch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_SubmoduleNotCheckedOut_FailsBeforeUploadNamingTheFix()
    {
        var lib = _git.Repo("lib", ("lib.txt", "lib\n"));
        var app = _git.Repo("app", ("index.html", "app\n"));
        TempGit.AddSubmodule(app, lib, "vendor/lib");
        TempGit.Commit(app, "add lib");
        var clone = _git.Path("clone");
        TempGit.Run(_git.Root, "clone", "--quiet", app, clone); // no --recurse-submodules: the submodule is not there
        var repository = await GitRepository.OpenWorkTreeAsync(clone, CancellationToken.None);
        var head = await repository.ResolveAsync("HEAD", CancellationToken.None);

        var error = await Assert.ThrowsAsync<Hosting.CliException>(() => ArchivePlan.CreateAsync(repository, head.Id, includeSubmodules: true, CancellationToken.None));

        Assert.Contains("vendor/lib", error.Message, StringComparison.Ordinal);
        Assert.Contains("git submodule update --init --recursive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_BareRepositoryOfAPush_FetchesSubmodulesFromAnAllowedHostThenRemovesTheFetch()
    {
        var lib = _git.Repo("lib", ("lib.txt", "lib\n"));
        using var daemon = await GitDaemon.StartAsync(_git.Root);
        var app = _git.Repo("app", ("index.html", "app\n"));
        TempGit.AddSubmodule(app, lib, "vendor/lib");
        TempGit.Run(app, "config", "-f", ".gitmodules", "submodule.vendor/lib.url", daemon.Url("lib"));
        var commit = TempGit.Commit(app, "add lib");
        var bare = _git.Path("remote.git");
        TempGit.Run(_git.Root, "init", "--quiet", "--bare", bare);
        TempGit.Run(app, "push", "--quiet", bare, "main");
        var repository = await GitRepository.OpenBareAsync(bare, CancellationToken.None);
        var policy = new SubmodulePolicy { AllowedHosts = [daemon.HostPort] };

        string fetchedInto;
        using (var plan = await ArchivePlan.CreateAsync(repository, commit, includeSubmodules: true, CancellationToken.None, policy))
        {
            var entries = await ReadAsync(plan);
            Assert.Equal("lib\n", entries["vendor/lib/lib.txt"]);
            fetchedInto = plan.Parts[1].Repository.GitDir;
        }

        Assert.False(Directory.Exists(fetchedInto));
        Assert.False(Directory.Exists(Path.Combine(bare, "modules")));
    }

    [Fact]
    public async Task WriteGzip_ProducesTheSameEntriesCompressed()
    {
        var app = _git.Repo("app", ("a.txt", "a\n"), ("b/c.txt", "c\n"));
        var repository = await GitRepository.OpenWorkTreeAsync(app, CancellationToken.None);
        var plan = await ArchivePlan.CreateAsync(repository, (await repository.ResolveAsync("HEAD", CancellationToken.None)).Id, true, CancellationToken.None);
        using var compressed = new MemoryStream();

        await SourceArchive.WriteGzipAsync(plan, compressed, CancellationToken.None);
        compressed.Position = 0;
        await using var gunzip = new GZipStream(compressed, CompressionMode.Decompress);
        var entries = await ReadTarAsync(gunzip);

        Assert.Equal("a\n", entries["a.txt"]);
        Assert.Equal("c\n", entries["b/c.txt"]);
    }

    private string AppWithNestedSubmodules()
    {
        var deep = _git.Repo("deep", ("deep.txt", "deep\n"));
        var lib = _git.Repo("lib", ("lib.txt", "lib\n"));
        TempGit.AddSubmodule(lib, deep, "deep");
        TempGit.Commit(lib, "add deep");
        var app = _git.Repo("app", ("index.html", "app\n"));
        TempGit.Run(app, "-c", "protocol.file.allow=always", "submodule", "--quiet", "add", lib, "vendor/lib");
        TempGit.Run(app, "-c", "protocol.file.allow=always", "submodule", "--quiet", "update", "--init", "--recursive");
        TempGit.Commit(app, "add lib");
        return app;
    }

    private static async Task<Dictionary<string, string>> PackAsync(string workTree, string revision, bool includeSubmodules)
    {
        var repository = await GitRepository.OpenWorkTreeAsync(workTree, CancellationToken.None);
        var commit = await repository.ResolveAsync(revision, CancellationToken.None);
        var plan = await ArchivePlan.CreateAsync(repository, commit.Id, includeSubmodules, CancellationToken.None);
        return await ReadAsync(plan);
    }

    private static async Task<Dictionary<string, string>> ReadAsync(ArchivePlan plan)
    {
        using var tar = new MemoryStream();
        await SourceArchive.WriteTarAsync(plan, tar, CancellationToken.None);
        tar.Position = 0;
        return await ReadTarAsync(tar);
    }

    /// <summary>Regular files by name, directories with an empty value; fails on a duplicate name.</summary>
    private static async Task<Dictionary<string, string>> ReadTarAsync(Stream tar)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry is PaxGlobalExtendedAttributesTarEntry global)
            {
                entries.Add("(global)", global.GlobalExtendedAttributes.GetValueOrDefault("comment", ""));
                continue;
            }

            var content = "";
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data);
                content = await text.ReadToEndAsync();
            }

            entries.Add(entry.Name.TrimEnd('/'), content);
        }

        return entries;
    }
}

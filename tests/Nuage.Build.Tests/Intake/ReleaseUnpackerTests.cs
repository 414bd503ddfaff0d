using System.Formats.Tar;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Build.Intake;
using Nuage.Build.Tests.Support;
using Nuage.Core.Errors;

namespace Nuage.Build.Tests.Intake;

public sealed class ReleaseUnpackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Releases => _temp.Combine("apps", "a1", "releases");

    private string Release => Path.Combine(Releases, "d1");

    private static ReleaseUnpacker Unpacker(BuildOptions? options = null) => new(options ?? new BuildOptions(), NullLogger<ReleaseUnpacker>.Instance);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unpack_ValidTarball_ExtractsFilesModesLinksAndCommit(bool gzip)
    {
        var tar = new Tarball(new Dictionary<string, string> { ["comment"] = "0123abcd" })
            .Directory("./")
            .File("./index.html", "<p>hi</p>")
            .File("bin/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0b111_101_101)
            .Symlink("bin/current", "run.sh")
            .Symlink("home", "bin/../index.html")
            .HardLink("copy.html", "index.html");

        var result = await Unpacker().UnpackAsync(tar.ToStream(gzip), Release, CancellationToken.None);

        Assert.Equal(Release, result.ReleaseDirectory);
        Assert.Equal(gzip, result.Gzip);
        Assert.Equal("0123abcd", result.CommitId);
        Assert.Equal("<p>hi</p>", await File.ReadAllTextAsync(Path.Combine(Release, "index.html")));
        Assert.Equal("<p>hi</p>", await File.ReadAllTextAsync(Path.Combine(Release, "copy.html")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Release, "bin/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("run.sh", new FileInfo(Path.Combine(Release, "bin/current")).LinkTarget);
        Assert.Equal(["d1"], Directory.EnumerateFileSystemEntries(Releases).Select(Path.GetFileName));
    }

    public static TheoryData<string, Func<Tarball>> HostileArchives => new()
    {
        { "/tmp/evil", () => new Tarball().File("ok.txt", "x").File("/tmp/evil", "x") },
        { "../evil", () => new Tarball().File("ok.txt", "x").File("../evil", "x") },
        { "a/../../evil", () => new Tarball().File("a/../../evil", "x") },
        { "escape", () => new Tarball().File("ok.txt", "x").Symlink("escape", "../../outside") },
        { "abs", () => new Tarball().Symlink("abs", "/etc/passwd") },
        { "link/evil", () => new Tarball().Directory("sub").Symlink("link", "sub").File("link/evil", "x") },
        { "d/z", () => new Tarball().Directory("d").Symlink("d/x", "..").Symlink("d/z", "x/..") },
        { "hard", () => new Tarball().HardLink("hard", "/etc/passwd") },
        { "hard2", () => new Tarball().HardLink("hard2", "../../etc/passwd") },
        { "missing-target", () => new Tarball().HardLink("missing-target", "nope.txt") },
        { "dev/tty", () => new Tarball().Special(TarEntryType.CharacterDevice, "dev/tty") },
        { "dev/sda", () => new Tarball().Special(TarEntryType.BlockDevice, "dev/sda") },
        { "pipe", () => new Tarball().File("ok.txt", "x").Special(TarEntryType.Fifo, "pipe") },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task Unpack_HostileEntry_IsRejectedNamingItAndWritesNothing(string offending, Func<Tarball> archive)
    {
        var error = await Assert.ThrowsAsync<NuageException>(() => Unpacker().UnpackAsync(archive().ToStream(), Release, CancellationToken.None));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("invalid_archive", error.Code);
        Assert.Contains(offending, error.Message, StringComparison.Ordinal);
        Assert.Equal(offending, Assert.Single(error.Errors).Value);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Unpack_MoreEntriesThanAllowed_IsTooLargeAndWritesNothing()
    {
        var tar = new Tarball().File("1", "x").File("2", "x").File("3", "x").File("4", "x");

        var error = await Assert.ThrowsAsync<NuageException>(() =>
            Unpacker(new BuildOptions { MaxFiles = 3 }).UnpackAsync(tar.ToStream(), Release, CancellationToken.None));

        Assert.Equal(ErrorKind.TooLarge, error.Kind);
        Assert.Equal("archive_too_large", error.Code);
        Assert.Contains("'4'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Unpack_ExpandedSizeOverLimit_IsTooLargeNamingTheEntry()
    {
        var tar = new Tarball().File("small", new string('a', 100)).File("big", new string('b', 5000));

        var error = await Assert.ThrowsAsync<NuageException>(() =>
            Unpacker(new BuildOptions { MaxExpandedBytes = 1000 }).UnpackAsync(tar.ToStream(gzip: true), Release, CancellationToken.None));

        Assert.Equal("archive_too_large", error.Code);
        Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Unpack_UploadOverLimit_IsTooLargeAndWritesNothing()
    {
        var tar = new Tarball().File("big", new string('b', 20_000));

        var error = await Assert.ThrowsAsync<NuageException>(() =>
            Unpacker(new BuildOptions { MaxUploadBytes = 8 * 1024 }).UnpackAsync(tar.ToStream(), Release, CancellationToken.None));

        Assert.Equal(ErrorKind.TooLarge, error.Kind);
        Assert.Contains(BuildOptions.MaxUploadBytesFlag, error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Unpack_NotATarball_IsInvalidArchive()
    {
        var garbage = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(new string('x', 2000)));

        var error = await Assert.ThrowsAsync<NuageException>(() => Unpacker().UnpackAsync(garbage, Release, CancellationToken.None));

        Assert.Equal("invalid_archive", error.Code);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Unpack_ExistingReleaseDirectory_IsConflictAndLeavesItAlone()
    {
        Directory.CreateDirectory(Release);
        await File.WriteAllTextAsync(Path.Combine(Release, "keep"), "old");

        var error = await Assert.ThrowsAsync<NuageException>(() =>
            Unpacker().UnpackAsync(new Tarball().File("keep", "new").ToStream(), Release, CancellationToken.None));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(Release, "keep")));
    }

    [Fact]
    public void Options_NonPositiveCaps_FailNamingEachOption()
    {
        var errors = new BuildOptions { MaxFiles = 0, MaxUploadBytes = -1 }.Validate();

        Assert.Equal([BuildOptions.MaxUploadBytesFlag, BuildOptions.MaxFilesFlag], errors.Select(e => e.Field));
    }

    private void AssertNothingWritten()
    {
        Assert.False(Directory.Exists(Release));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Releases));
        Assert.DoesNotContain(_temp.Listing(), p => p.Contains("evil", StringComparison.Ordinal) || p.Contains("outside", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil")));
    }
}

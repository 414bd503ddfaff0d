using Nuage.Core.FileSystem;

namespace Nuage.Core.Tests.FileSystem.Security;

/// <summary>
/// <see cref="BeneathDirectory.OpenBeneath"/> (openat2) and its component-walk fallback refuse every way out of the
/// directory: links (to files, folders, absolute or relative), <c>..</c>, absolute paths, and special files.
/// </summary>
public sealed class BeneathLookupAttackTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nuage-beneath-").FullName;

    public BeneathLookupAttackTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "inside", "sub"));
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(_root, "inside", "sub", "ok.txt"), "ok");
        File.CreateSymbolicLink(Path.Combine(_root, "inside", "file-link"), "../secret.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "inside", "absolute-link"), Path.Combine(_root, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "inside", "dir-link"), "..");
        Directory.CreateSymbolicLink(Path.Combine(_root, "inside", "sub", "inner-link"), ".");
    }

    public static TheoryData<string, BeneathEntryKind> Lookups => new()
    {
        { "sub/ok.txt", BeneathEntryKind.File },
        { "sub", BeneathEntryKind.Directory },
        { "missing.txt", BeneathEntryKind.Missing },
        { "sub/ok.txt/x", BeneathEntryKind.Missing },
        { "file-link", BeneathEntryKind.Refused },
        { "absolute-link", BeneathEntryKind.Refused },
        { "dir-link/secret.txt", BeneathEntryKind.Refused },
        { "sub/inner-link/ok.txt", BeneathEntryKind.Refused },
        { "../secret.txt", BeneathEntryKind.Refused },
        { "sub/../../secret.txt", BeneathEntryKind.Refused },
        { "/etc/passwd", BeneathEntryKind.Refused },
        { "sub//ok.txt", BeneathEntryKind.Refused },
        { "./sub/ok.txt", BeneathEntryKind.Refused },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public void OpenBeneath_RefusesEveryWayOut(string path, BeneathEntryKind expected)
    {
        using var directory = BeneathDirectory.OpenRoot(Path.Combine(_root, "inside"))!;

        var entry = directory.OpenBeneath(path);
        entry.Handle?.Dispose();

        Assert.Equal(expected, entry.Kind);
    }

    [Theory]
    [MemberData(nameof(Lookups))]
    public void OpenBeneathByWalk_RefusesEveryWayOutToo(string path, BeneathEntryKind expected)
    {
        using var directory = BeneathDirectory.OpenRoot(Path.Combine(_root, "inside"))!;

        var entry = directory.OpenBeneathByWalk(path);
        entry.Handle?.Dispose();

        // The walk cannot always tell a link from a missing folder (O_DIRECTORY|O_NOFOLLOW gives ENOTDIR): either way nothing is opened.
        if (expected is BeneathEntryKind.File or BeneathEntryKind.Directory)
        {
            Assert.Equal(expected, entry.Kind);
        }
        else
        {
            Assert.True(entry.Kind is BeneathEntryKind.Missing or BeneathEntryKind.Refused, $"{path}: {entry.Kind}");
        }
    }

    [Fact]
    public void OpenBeneath_DescribesTheFileItOpened()
    {
        using var directory = BeneathDirectory.OpenRoot(Path.Combine(_root, "inside"))!;

        var entry = directory.OpenBeneath("sub/ok.txt");
        using var handle = entry.Handle!;

        Assert.Equal(2, entry.Length);
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(_root, "inside", "sub", "ok.txt")), entry.LastModified.UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.NotEqual(0UL, entry.Inode);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

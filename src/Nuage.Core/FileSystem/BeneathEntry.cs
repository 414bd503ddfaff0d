using Microsoft.Win32.SafeHandles;

namespace Nuage.Core.FileSystem;

/// <summary>What a path beneath a <see cref="BeneathDirectory"/> turned out to be.</summary>
public enum BeneathEntryKind
{
    /// <summary>Nothing by that name (or a path through something that is not a folder).</summary>
    Missing,

    /// <summary>A regular file, opened for reading.</summary>
    File,

    /// <summary>A real folder (nothing opened).</summary>
    Directory,

    /// <summary>A symbolic link somewhere on the path, a way out of the directory, or a FIFO, device or socket: never opened.</summary>
    Refused,
}

/// <summary>
/// A path looked up by <see cref="BeneathDirectory.OpenBeneath"/>. For <see cref="BeneathEntryKind.File"/>,
/// <see cref="Handle"/> is the open file (the caller disposes it) and the other values come from that very
/// descriptor (<c>statx</c>), so they describe what will be read.
/// </summary>
public readonly record struct BeneathEntry(BeneathEntryKind Kind, SafeFileHandle? Handle, long Length, DateTimeOffset LastModified, ulong Inode)
{
    public static BeneathEntry Missing => new(BeneathEntryKind.Missing, null, 0, default, 0);

    public static BeneathEntry Directory => new(BeneathEntryKind.Directory, null, 0, default, 0);

    public static BeneathEntry Refused => new(BeneathEntryKind.Refused, null, 0, default, 0);
}

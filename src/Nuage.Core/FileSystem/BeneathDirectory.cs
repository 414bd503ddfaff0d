using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nuage.Core.FileSystem;

/// <summary>
/// A directory opened without following symbolic links, whose entries are reached only relative to it
/// (<c>openat</c>/<c>mkdirat</c>/<c>renameat</c> with <c>O_NOFOLLOW</c>, one name at a time). Whatever an app puts
/// in the trees the server touches as root (links, links swapped in mid-walk, <c>..</c>), nothing outside the
/// directory opened first can be read, written or removed through it. Linux only.
/// </summary>
public sealed partial class BeneathDirectory : IDisposable
{
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF; // rwxrwxrwx; never setuid, setgid or sticky

    private readonly SafeFileHandle _handle;

    private BeneathDirectory(SafeFileHandle handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    /// <summary>The name this directory was opened as (for messages: never a server path).</summary>
    public string Name { get; }

    private int Descriptor => (int)_handle.DangerousGetHandle();

    /// <summary>This directory as a path the kernel resolves through its descriptor, not through names.</summary>
    private string ProcPath => "/proc/self/fd/" + Descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Opens a platform-chosen directory whose last component must not be a link; null when missing.</summary>
    public static BeneathDirectory? OpenRoot(string path)
    {
        var fd = OpenAt(CurrentDirectory, path, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
        return fd < 0 ? MissingOrThrow(Path.GetFileName(path)) : new BeneathDirectory(new SafeFileHandle(fd, ownsHandle: true), Path.GetFileName(path));
    }

    /// <summary>Creates (when missing) and opens a platform-chosen directory; its last component must not be a link.</summary>
    public static BeneathDirectory CreateRoot(string path)
    {
        Directory.CreateDirectory(path);
        return OpenRoot(path) ?? throw new UnsafeTreeException($"{Path.GetFileName(path)} vanished while it was being opened.");
    }

    /// <summary>A sub-directory, never through a link; null when missing; <see cref="UnsafeTreeException"/> when a link or not a directory.</summary>
    public BeneathDirectory? OpenDirectory(string name)
    {
        CheckName(name);
        var fd = OpenAt(Descriptor, name, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
        return fd < 0 ? MissingOrThrow(name) : new BeneathDirectory(new SafeFileHandle(fd, ownsHandle: true), name);
    }

    /// <summary>Creates a sub-directory (or keeps a real one) and opens it; a link in its place is an error.</summary>
    public BeneathDirectory CreateDirectory(string name, UnixFileMode mode)
    {
        CheckName(name);
        if (MakeDirectoryAt(Descriptor, name, (uint)(mode & PermissionBits)) != 0 && Marshal.GetLastPInvokeError() != AlreadyExists)
        {
            throw Failure("create folder", name);
        }

        var created = OpenDirectory(name) ?? throw new UnsafeTreeException($"{name} vanished while it was being created.");
        created.SetMode(mode);
        return created;
    }

    /// <summary>The entries, as the kernel lists them (no link followed): type, mode and link target by <c>lstat</c>.</summary>
    public IEnumerable<FileSystemInfo> Entries() => new DirectoryInfo(ProcPath).EnumerateFileSystemInfos();

    /// <summary>One entry's <c>lstat</c> information, or null when missing.</summary>
    public FileSystemInfo? Entry(string name)
    {
        CheckName(name);
        var info = new FileInfo(Path.Combine(ProcPath, name));
        if (info.Exists || info.LinkTarget is not null)
        {
            return info;
        }

        var directory = new DirectoryInfo(info.FullName);
        return directory.Exists ? directory : null;
    }

    /// <summary>Opens a regular file for reading without following a link (FIFOs do not block: O_NONBLOCK).</summary>
    public FileStream OpenRead(string name) => OpenFile(name, ReadOnly | NonBlocking, FileAccess.Read);

    /// <summary>Opens a regular file for reading and writing without following a link.</summary>
    public FileStream OpenReadWrite(string name) => OpenFile(name, ReadWrite | NonBlocking, FileAccess.ReadWrite);

    /// <summary>Creates a new file (fails if anything, a link included, has the name) with exactly <paramref name="mode"/>.</summary>
    public FileStream CreateFile(string name, UnixFileMode mode)
    {
        var stream = OpenFile(name, WriteOnly | Create | Exclusive, FileAccess.Write, mode & PermissionBits);
        if (ChangeMode((int)stream.SafeFileHandle.DangerousGetHandle(), (uint)(mode & PermissionBits)) != 0)
        {
            stream.Dispose();
            throw Failure("set the mode of", name);
        }

        return stream;
    }

    /// <summary>Creates a symbolic link (its target is stored, never resolved here).</summary>
    public void CreateSymbolicLink(string name, string target)
    {
        CheckName(name);
        if (SymlinkAt(target, Descriptor, name) != 0)
        {
            throw Failure("create link", name);
        }
    }

    /// <summary>Reads a small regular file as text; null when missing or larger than <paramref name="maxBytes"/>.</summary>
    public string? ReadSmallText(string name, int maxBytes)
    {
        if (Entry(name) is not FileInfo { LinkTarget: null } info || info.Length > maxBytes)
        {
            return null;
        }

        using var stream = OpenRead(name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Writes a file atomically: a new file beside it, renamed over the name (a link there is replaced, not followed).</summary>
    public void ReplaceText(string name, string text, UnixFileMode mode)
    {
        var temp = $".{name}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = CreateFile(temp, mode))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            Rename(temp, this, name);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    /// <summary>Renames an entry into <paramref name="target"/> (both resolved through their descriptors).</summary>
    public void Rename(string name, BeneathDirectory target, string newName)
    {
        CheckName(name);
        CheckName(newName);
        if (RenameAt(Descriptor, name, target.Descriptor, newName) != 0)
        {
            throw Failure("rename", name);
        }
    }

    /// <summary>Removes an entry: a link or file is unlinked, a directory emptied (never through a link) and removed.</summary>
    public void Delete(string name)
    {
        switch (Entry(name))
        {
            case null:
                return;
            case DirectoryInfo { LinkTarget: null }:
                using (var child = OpenDirectory(name))
                {
                    if (child is not null)
                    {
                        foreach (var entry in child.Entries().ToList())
                        {
                            child.Delete(entry.Name);
                        }
                    }
                }

                if (UnlinkAt(Descriptor, name, RemoveDirectoryFlag) != 0 && Marshal.GetLastPInvokeError() != NoSuchEntry)
                {
                    throw Failure("remove folder", name);
                }

                return;
            default:
                if (UnlinkAt(Descriptor, name, 0) != 0 && Marshal.GetLastPInvokeError() != NoSuchEntry)
                {
                    throw Failure("remove", name);
                }

                return;
        }
    }

    /// <summary><see cref="Delete"/> that swallows I/O errors (stale entries only cost disk space).</summary>
    public void DeleteQuietly(string name)
    {
        try
        {
            Delete(name);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Sets this directory's permission bits (through its descriptor).</summary>
    public void SetMode(UnixFileMode mode)
    {
        if (ChangeMode(Descriptor, (uint)(mode & PermissionBits)) != 0)
        {
            throw Failure("set the mode of", Name);
        }
    }

    /// <summary>When the server is root: makes this directory root's own (0:0), so no app uid can change what it holds.</summary>
    public void OwnByPlatform(UnixFileMode mode)
    {
        if (Environment.IsPrivilegedProcess && ChangeOwner(Descriptor, 0, 0) != 0)
        {
            throw Failure("change the owner of", Name);
        }

        SetMode(mode);
    }

    public void Dispose() => _handle.Dispose();

    private FileStream OpenFile(string name, int flags, FileAccess access, UnixFileMode mode = default)
    {
        CheckName(name);
        var fd = OpenAt(Descriptor, name, flags | NoFollow | CloseOnExec, (uint)mode);
        if (fd < 0)
        {
            throw Failure("open", name);
        }

        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), access);
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeTreeException($"\"{name}\" is not a single file name.");
        }
    }

    private static BeneathDirectory? MissingOrThrow(string name)
    {
        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchEntry ? null : throw Describe(error, "open folder", name);
    }

    private static IOException Failure(string action, string name) => Describe(Marshal.GetLastPInvokeError(), action, name);

    private static IOException Describe(int error, string action, string name) => error switch
    {
        TooManyLinks => new UnsafeTreeException($"{name} is a symbolic link; only real files and folders are used."),
        NotADirectory => new UnsafeTreeException($"{name} is not a folder."),
        _ => new IOException($"Could not {action} {name}: {Marshal.GetPInvokeErrorMessage(error)}"),
    };
}

/// <summary>A tree held a link or another entry where a real file or folder was expected: nothing was followed.</summary>
public sealed class UnsafeTreeException(string message) : IOException(message);

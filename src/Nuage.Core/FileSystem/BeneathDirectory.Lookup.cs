using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nuage.Core.FileSystem;

public sealed partial class BeneathDirectory
{
    /// <summary>
    /// Opens a relative path (<c>a/b/c.html</c>) beneath this directory for reading, in one <c>openat2</c> call with
    /// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: a link anywhere on the path, <c>..</c>, an absolute path or a way out of the
    /// directory is <see cref="BeneathEntryKind.Refused"/>, and so is anything that is neither a regular file nor a
    /// folder (a FIFO does not block: O_NONBLOCK). On kernels without openat2 it walks one component at a time with
    /// O_NOFOLLOW instead. Safe to call from many threads while the directory stays open.
    /// </summary>
    public BeneathEntry OpenBeneath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (!IsPlainRelative(relativePath))
        {
            return BeneathEntry.Refused;
        }

        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added); // the descriptor number cannot be reused under a concurrent Dispose
            int fd;
            if (Volatile.Read(ref s_noOpenat2) == 0)
            {
                fd = OpenAt2(Descriptor, relativePath, ReadOnly | NonBlocking | NoFollow | CloseOnExec);
                if (fd < 0 && Marshal.GetLastPInvokeError() == NotImplemented)
                {
                    Volatile.Write(ref s_noOpenat2, 1);
                    return OpenBeneathByWalk(relativePath);
                }
            }
            else
            {
                return OpenBeneathByWalk(relativePath);
            }

            return fd < 0 ? FailedLookup(Marshal.GetLastPInvokeError()) : Describe(fd);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Opens a folder at a relative path beneath this one, never through a link; null when missing or refused.</summary>
    public BeneathDirectory? OpenDirectoryBeneath(string relativePath)
    {
        var current = this;
        foreach (var name in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            BeneathDirectory? next;
            try
            {
                next = current.OpenDirectory(name);
            }
            catch (UnsafeTreeException)
            {
                next = null;
            }

            if (!ReferenceEquals(current, this))
            {
                current.Dispose();
            }

            if (next is null)
            {
                return null;
            }

            current = next;
        }

        if (!ReferenceEquals(current, this))
        {
            return current;
        }

        var fd = OpenAt(Descriptor, ".", ReadOnly | DirectoryOnly | CloseOnExec, 0); // a second descriptor on this very folder
        return fd < 0 ? throw Failure("open folder", Name) : new BeneathDirectory(new SafeFileHandle(fd, ownsHandle: true), Name);
    }

    /// <summary>The fallback of <see cref="OpenBeneath"/>: one <c>openat(O_NOFOLLOW)</c> per component (also used by tests).</summary>
    internal BeneathEntry OpenBeneathByWalk(string relativePath)
    {
        if (!IsPlainRelative(relativePath))
        {
            return BeneathEntry.Refused;
        }

        var names = relativePath.Split('/');
        var directory = Descriptor;
        var opened = new List<SafeFileHandle>();
        try
        {
            for (var i = 0; i < names.Length - 1; i++)
            {
                var fd = OpenAt(directory, names[i], ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
                if (fd < 0)
                {
                    return FailedLookup(Marshal.GetLastPInvokeError());
                }

                opened.Add(new SafeFileHandle(fd, ownsHandle: true));
                directory = fd;
            }

            var file = OpenAt(directory, names[^1], ReadOnly | NonBlocking | NoFollow | CloseOnExec, 0);
            return file < 0 ? FailedLookup(Marshal.GetLastPInvokeError()) : Describe(file);
        }
        finally
        {
            foreach (var handle in opened)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>Plain relative names only: no empty, <c>.</c> or <c>..</c> component, no leading slash, no NUL.</summary>
    private static bool IsPlainRelative(string path)
    {
        if (path.Length == 0 || path[0] == '/' || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var range in path.AsSpan().Split('/'))
        {
            var name = path.AsSpan(range);
            if (name.Length == 0 || name is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static BeneathEntry FailedLookup(int error) => error switch
    {
        NoSuchEntry or NotADirectory or NameTooLong => BeneathEntry.Missing,
        TooManyLinks or CrossDevice or PermissionDenied => BeneathEntry.Refused,
        _ => throw new IOException($"Could not open a file: {Marshal.GetPInvokeErrorMessage(error)}"),
    };

    /// <summary>Keeps a regular file open and describes it; closes anything else.</summary>
    private static unsafe BeneathEntry Describe(int fd)
    {
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        StatX status;
        if (StatXCall(fd, string.Empty, EmptyPath, StatXBasic, &status) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"Could not read a file's status: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        switch (status.Mode & FileTypeMask)
        {
            case RegularFile:
                var modified = DateTimeOffset.FromUnixTimeSeconds(status.ModifiedSeconds).AddTicks(status.ModifiedNanoseconds / 100);
                return new BeneathEntry(BeneathEntryKind.File, handle, (long)status.Size, modified, status.Inode);
            case DirectoryType:
                handle.Dispose();
                return BeneathEntry.Directory;
            default:
                handle.Dispose();
                return BeneathEntry.Refused;
        }
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nuage.Logs.Ingestion;

/// <summary>
/// The system calls the tailer needs on instance output files, which hold app-controlled content: opening without
/// following a symlink, and freeing the disk blocks of an ingested prefix with FALLOC_FL_PUNCH_HOLE. Punching keeps
/// the file's size, so saved offsets stay valid and the instance's O_APPEND writes go on at the end untouched; the
/// hole reads back as zeros and takes no space (ext4, xfs, btrfs, tmpfs).
/// </summary>
internal static partial class OutputFile
{
    private const int ReadOnly = 0x0;
    private const int WriteOnly = 0x1;
    private const int NoFollow = 0x20000;
    private const int CloseOnExec = 0x80000;
    private const int FallocKeepSize = 0x01;
    private const int FallocPunchHole = 0x02;
    private const int NoEntry = 2;
    private const int NotDirectory = 20;
    private const int SymlinkLoop = 40;

    /// <summary>Opens the file for reading, refusing a symlink; null while it does not exist.</summary>
    public static FileStream? OpenRead(string path)
    {
        var fd = Open(path, ReadOnly | NoFollow | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                NoEntry or NotDirectory => null,
                SymlinkLoop => throw new UnauthorizedAccessException($"{path} is a symbolic link; instance output files are never followed"),
                _ => throw new IOException($"cannot open {path} (errno {errno})", errno),
            };
        }

        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }

    /// <summary>
    /// Frees the blocks of [0, <paramref name="length"/>) of the file open as <paramref name="file"/>. It reopens that
    /// very inode through /proc/self/fd (fallocate needs a writable descriptor), never the path, so a file swapped in
    /// meanwhile is not touched. Returns false where the filesystem cannot punch holes.
    /// </summary>
    public static bool PunchPrefix(FileStream file, long length)
    {
        if (length <= 0)
        {
            return true;
        }

        var own = file.SafeFileHandle.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);
        var fd = Open("/proc/self/fd/" + own, WriteOnly | CloseOnExec);
        if (fd < 0)
        {
            return false;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Fallocate(fd, FallocPunchHole | FallocKeepSize, 0, length) == 0;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);
}

using System.Runtime.InteropServices;

namespace Nuage.Core.FileSystem;

/// <summary>The *at(2) system calls <see cref="BeneathDirectory"/> resolves names with (Linux).</summary>
public sealed partial class BeneathDirectory
{
    private const int ReadOnly = 0;
    private const int ReadWrite = 2;
    private const int WriteOnly = 1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int RemoveDirectoryFlag = 0x200;
    private const int CurrentDirectory = -100;
    private const int NoSuchEntry = 2;
    private const int AlreadyExists = 17;
    private const int TooManyLinks = 40;
    private const int NotADirectory = 20;

    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    // O_DIRECTORY and O_NOFOLLOW differ between x86 and ARM Linux.
    private static int DirectoryOnly => IsArm ? 0x4000 : 0x10000;

    private static int NoFollow => IsArm ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(int directory, string name, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectoryAt(int directory, string name, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkAt(int directory, string name, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SymlinkAt(string target, int directory, string name);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int ChangeMode(int descriptor, uint mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int ChangeOwner(int descriptor, int uid, int gid);
}

/// <summary>openat2(2) and statx(2), whose structures have the same layout on every Linux architecture.</summary>
public sealed partial class BeneathDirectory
{
    private const int NotImplemented = 38;
    private const int CrossDevice = 18;
    private const int PermissionDenied = 13;
    private const int NameTooLong = 36;
    private const long OpenAt2Syscall = 437; // the same number on x86-64 and arm64 (the unified syscall table)
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const int EmptyPath = 0x1000;
    private const uint StatXBasic = 0x01 | 0x02 | 0x40 | 0x100 | 0x200; // type, mode, mtime, ino, size
    private const ushort FileTypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;
    private const ushort DirectoryType = 0x4000;

    /// <summary>Set once openat2 answered ENOSYS (an old kernel): later lookups walk component by component.</summary>
    private static int s_noOpenat2;

    private static unsafe int OpenAt2(int directory, string path, int flags)
    {
        var how = new OpenHow { Flags = (ulong)flags, Mode = 0, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
        var bytes = System.Text.Encoding.UTF8.GetByteCount(path);
        Span<byte> name = bytes < 512 ? stackalloc byte[bytes + 1] : new byte[bytes + 1];
        System.Text.Encoding.UTF8.GetBytes(path, name);
        name[bytes] = 0;
        fixed (byte* pointer = name)
        {
            return (int)Syscall(OpenAt2Syscall, directory, pointer, &how, (nuint)sizeof(OpenHow));
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long Syscall(long number, int directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatXCall(int directory, string path, int flags, uint mask, StatX* buffer);

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>struct statx (256 bytes); only the fields read here are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatX
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long ModifiedSeconds;

        [FieldOffset(120)]
        public uint ModifiedNanoseconds;
    }
}

using System.Runtime.InteropServices;

namespace Nuage.Build.Caching;

/// <summary>The *at(2) system calls <see cref="BeneathDirectory"/> resolves names with (Linux).</summary>
internal sealed partial class BeneathDirectory
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

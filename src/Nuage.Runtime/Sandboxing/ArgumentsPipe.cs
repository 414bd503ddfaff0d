using System.Runtime.InteropServices;

namespace Nuage.Runtime.Sandboxing;

/// <summary>
/// A named pipe (0600, in the run directory) that hands bubblewrap its options once: the content stays in kernel
/// memory and never reaches the disk, unlike the plaintext args files of earlier versions.
/// </summary>
internal sealed partial class ArgumentsPipe : IAsyncDisposable
{
    private const int ReadOnlyNonBlocking = 0x800; // O_RDONLY | O_NONBLOCK
    private readonly string _path;
    private readonly Task _writer;

    private ArgumentsPipe(string path, Task writer)
    {
        _path = path;
        _writer = writer;
    }

    public string Path => _path;

    /// <summary>Creates the pipe and writes <paramref name="content"/> to the first reader, on a thread of its own.</summary>
    public static ArgumentsPipe Serve(string path, byte[] content)
    {
        File.Delete(path);
        if (MakeFifo(path, 0x180) != 0)
        {
            throw new IOException($"Could not create the pipe {path} (errno {Marshal.GetLastPInvokeError()}).");
        }

        var writer = Task.Factory.StartNew(
            () =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                stream.Write(content);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        return new ArgumentsPipe(path, writer);
    }

    /// <summary>Releases a writer nobody read from (the step failed before bubblewrap started), then deletes the pipe.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_writer.IsCompleted)
        {
            // A non-blocking reader lets the writer's open return; closing it at once makes the write fail (EPIPE).
            var fd = Open(_path, ReadOnlyNonBlocking);
            if (fd >= 0)
            {
                _ = Close(fd);
            }
        }

        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Nobody wanted the options any more.
        }

        File.Delete(_path);
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

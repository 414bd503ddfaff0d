using System.Diagnostics;

namespace Nuage.Tests.Shared;

/// <summary>
/// A real tmpfs of a fixed size mounted by the test (needs root, as CI runs), so a disk can be filled for real.
/// <see cref="Fill"/> writes a ballast file until ENOSPC; <see cref="Free"/> deletes it. Unmounted on dispose.
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    private string Ballast => System.IO.Path.Combine(Path, "ballast");

    public static SmallTmpfs Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nuage-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path);
        return new SmallTmpfs(path);
    }

    /// <summary>Writes zeros until the filesystem says it is full; returns how many bytes fit.</summary>
    public long Fill()
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        using var ballast = new FileStream(Ballast, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                ballast.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the filesystem is full.
        }

        return written;
    }

    public void Free() => File.Delete(Ballast);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error} — these tests need root to mount a tmpfs");
        }
    }
}

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>A fresh directory per test, removed afterwards (with, when the test process ends, any firewall table a server in it made).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nuage-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        FirewallTables.Track(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a lingering process may still hold a file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}

using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Nuage.Core.Paths;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Ingestion;

/// <summary>Runs ingestion in a child process (bench/logs LogsBench ingest) and kills it with SIGKILL while lines keep coming.</summary>
public sealed class KillRestartTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string ChildDll()
    {
        var baseDir = AppContext.BaseDirectory; // …/tests/Nuage.Logs.Tests/bin/<Config>/net10.0/
        var config = new DirectoryInfo(baseDir).Parent!.Name;
        var root = new DirectoryInfo(baseDir).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "bench", "logs", "LogsBench", "bin", config, "net10.0", "LogsBench.dll");
    }

    private Process StartChild(long compactBytes = 0)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var arg in new[] { ChildDll(), "ingest", _dir.Path, "app1", "web-1" })
        {
            info.ArgumentList.Add(arg);
        }

        if (compactBytes > 0)
        {
            info.ArgumentList.Add(compactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var child = Process.Start(info)!;
        Assert.Equal("ready", child.StandardOutput.ReadLine());
        return child;
    }

    private long CountStored()
    {
        var db = Path.Combine(new NuagePaths(_dir.Path).LogStore, "app1.db");
        if (!File.Exists(db))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM records";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public Task Ingest_KilledWithSigkillRepeatedly_StoresEveryLineExactlyOnceInOrder() => KilledRepeatedlyAsync(compactBytes: 0);

    /// <summary>The same with the file's stored prefix punched out as ingestion goes (as `nuage server` does).</summary>
    [Fact]
    public Task Ingest_KilledWithSigkillWhilePunchingStoredPrefixes_StoresEveryLineExactlyOnceAndFreesTheFile() => KilledRepeatedlyAsync(compactBytes: 64 * 1024);

    private async Task KilledRepeatedlyAsync(long compactBytes)
    {
        var file = new NuagePaths(_dir.Path).InstanceOutput("app1", "web-1", "stdout");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        const int total = 60_000;
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            await using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            for (var i = 1; i <= total; i++)
            {
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"line {i}\n"));
                if (i % 500 == 0)
                {
                    await stream.FlushAsync();
                    await Task.Delay(10);
                }
            }
        });

        for (var round = 0; round < 3; round++)
        {
            using var child = StartChild(compactBytes);
            try
            {
                var before = CountStored();
                // A slow child start can let the writer finish and an earlier child store nearly everything: then the
                // 2000 more lines never come, and the kill lands after the last line instead (still a kill to recover from).
                var target = Math.Min(before + 2000, total);
                await Wait.UntilAsync(() => Task.FromResult(CountStored() >= target), "progress before the kill", describe: () => $"stored {CountStored()}, waiting for {target}");
            }
            finally
            {
                child.Kill(); // SIGKILL: no flush, no dispose (and a failed wait leaves no child behind)
                await child.WaitForExitAsync();
            }
        }

        await writer;
        using (var last = StartChild(compactBytes))
        {
            try
            {
                await Wait.UntilAsync(() => Task.FromResult(CountStored() >= total), "every line after the restarts", seconds: 60, describe: () => $"stored {CountStored()}, file has {new FileInfo(file).Length} bytes");
                if (compactBytes > 0)
                {
                    await Wait.UntilAsync(() => Task.FromResult(DiskUsage.AllocatedBytes(file) <= new FileInfo(file).Length / 2), "the stored prefix punched out",
                        describe: () => $"length {new FileInfo(file).Length}, allocated {DiskUsage.AllocatedBytes(file)}");
                }

                await Task.Delay(500);
            }
            finally
            {
                last.Kill();
                await last.WaitForExitAsync();
            }
        }

        var db = Path.Combine(new NuagePaths(_dir.Path).LogStore, "app1.db");
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, message FROM records ORDER BY seq";
        using var reader = command.ExecuteReader();
        var expected = 1;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal($"line {expected}", reader.GetString(1));
            expected++;
        }

        Assert.Equal(total + 1, expected);
    }

    public void Dispose() => _dir.Dispose();
}

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

    private Process StartChild()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var arg in new[] { ChildDll(), "ingest", _dir.Path, "app1", "web-1" })
        {
            info.ArgumentList.Add(arg);
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
    public async Task Ingest_KilledWithSigkillRepeatedly_StoresEveryLineExactlyOnceInOrder()
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
            var child = StartChild();
            var before = CountStored();
            await Wait.UntilAsync(() => Task.FromResult(CountStored() > before + 2000), "progress before the kill");
            child.Kill(); // SIGKILL: no flush, no dispose
            await child.WaitForExitAsync();
            child.Dispose();
        }

        await writer;
        var last = StartChild();
        await Wait.UntilAsync(() => Task.FromResult(CountStored() >= total), "every line after the restarts", seconds: 60, describe: () => $"stored {CountStored()}, file has {File.ReadAllLines(file).Length} lines");
        await Task.Delay(500);
        last.Kill();
        await last.WaitForExitAsync();
        last.Dispose();

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

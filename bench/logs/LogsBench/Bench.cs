using System.Diagnostics;
using System.Globalization;
using Nuage.Core.Paths;
using Nuage.Logs.Drains;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;
using Nuage.State.Sqlite;

internal static class Bench
{
    private const double VectorEventsPerVcpu = 41_000;
    private const int TargetRate = 150_000;

    public static async Task<int> RunAsync(int lines)
    {
        var data = Path.Combine(Path.GetTempPath(), "nuage-logs-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var paths = new NuagePaths(data);
        var file = paths.InstanceOutput("bench", "web-1", "stdout");
        var self = Environment.ProcessPath!;
        var dll = typeof(Bench).Assembly.Location;

        // Writer: a separate process writing as fast as it can (its CPU is not the pipeline's).
        var writer = Start(self, dll, "write", file, lines.ToString(CultureInfo.InvariantCulture));

        // Same-run reference: reading and splitting the file only (no store), i.e. the floor any pipeline pays.
        await writer.WaitForExitAsync();
        var (refSeconds, refLines) = ReadOnlyReference(file);

        // Ingest: tailer -> store, until every line is committed.
        File.Delete(file);
        writer = Start(self, dll, "write", file, lines.ToString(CultureInfo.InvariantCulture));
        var load0 = LoadAverage();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await using var store = new LogStore(new LogStoreOptions { Directory = paths.LogStore });
        await using var tailers = new InstanceOutputTailers(store);
        tailers.Start(new InstanceOutput("bench", "web-1", "dep-1", file, paths.InstanceOutput("bench", "web-1", "stderr")));
        while ((await store.GetStatsAsync("bench")).LastSequence < lines)
        {
            await Task.Delay(5);
        }

        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var ingestCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var ingestAlloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        await writer.WaitForExitAsync();

        // Drain: the stored lines to a syslog-tcp receiver (separate process) on loopback.
        var port = FreePort();
        var receiver = Start(self, dll, "receive", port.ToString(CultureInfo.InvariantCulture));
        await receiver.StandardOutput.ReadLineAsync();
        cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        await using (var drains = new DrainManager(store, SqliteStateStore.Open(paths.Database).Drains, new DrainOptions { BatchSize = 5000, AllowPrivateDestinations = true }))
        {
            await drains.CreateAsync(new DrainSpec { AppId = "bench", Type = DrainTypes.SyslogTcp, Url = $"tcp://127.0.0.1:{port}" });
            // The drain starts at the end of the log: write the lines again so it delivers them live.
            var writer2 = Start(self, dll, "write", file, lines.ToString(CultureInfo.InvariantCulture));
            long received = 0;
            while (received < lines)
            {
                var text = await receiver.StandardOutput.ReadLineAsync();
                received = long.Parse(text!, CultureInfo.InvariantCulture);
            }

            await writer2.WaitForExitAsync();
        }

        var drainSeconds = clock.Elapsed.TotalSeconds;
        var drainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var drainAlloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        receiver.Kill();

        // Paced: a second instance writes at the target rate; the CPU the pipeline needs for it is the verdict.
        var paced = paths.InstanceOutput("bench", "web-2", "stdout");
        var before = (await store.GetStatsAsync("bench")).LastSequence;
        var pacedWriter = Start(self, dll, "write", paced, lines.ToString(CultureInfo.InvariantCulture), TargetRate.ToString(CultureInfo.InvariantCulture));
        cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        clock.Restart();
        tailers.Start(new InstanceOutput("bench", "web-2", "dep-1", paced, paths.InstanceOutput("bench", "web-2", "stderr")));
        while ((await store.GetStatsAsync("bench")).LastSequence < before + lines)
        {
            await Task.Delay(5);
        }

        var pacedSeconds = clock.Elapsed.TotalSeconds;
        var pacedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var pacedAlloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        await pacedWriter.WaitForExitAsync();
        var load2 = LoadAverage();
        await tailers.DisposeAsync();
        await store.DisposeAsync();
        Directory.Delete(data, recursive: true);

        var ingestRate = lines / ingestSeconds;
        var drainRate = lines / drainSeconds;
        Console.WriteLine(FormattableString.Invariant($"lines                         {lines}   load average (1 min) {load0} at start, {load2} at end"));
        Console.WriteLine(FormattableString.Invariant($"reference read+split only     {refLines / refSeconds,12:N0} lines/s"));
        Console.WriteLine("phase                              lines/s   cores   cpu us/line   alloc B/line   lines/s per core");
        Row("ingest file->store", ingestRate, ingestCpu, ingestSeconds, ingestAlloc, lines);
        Row("ingest+syslog-tcp drain", drainRate, drainCpu, drainSeconds, drainAlloc, lines);
        Row("ingest paced at 150k/s", lines / pacedSeconds, pacedCpu, pacedSeconds, pacedAlloc, lines);
        Console.WriteLine(FormattableString.Invariant($"vs Vector sizing (41k/vCPU)   ingest {ingestRate / (ingestCpu / ingestSeconds) / VectorEventsPerVcpu:F1}x  drain {drainRate / (drainCpu / drainSeconds) / VectorEventsPerVcpu:F1}x per core"));
        var pacedRate = lines / pacedSeconds;
        var pacedCores = pacedCpu / pacedSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"target >=150k lines/s at <=1 core (paced run: {pacedRate:N0} lines/s, {pacedCores:F2} cores): {(pacedRate >= TargetRate * 0.98 && pacedCores <= 1 ? "MET" : "NOT MET")}"));
        return 0;
    }

    private static void Row(string phase, double rate, double cpu, double seconds, long allocated, int lines) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{phase,-28} {rate,12:N0} {cpu / seconds,7:F2} {cpu * 1e6 / lines,13:F2} {(double)allocated / lines,14:F0} {rate / (cpu / seconds),18:N0}"));

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static (double Seconds, long Lines) ReadOnlyReference(string file)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        using var stream = File.OpenRead(file);
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            int i;
            while ((i = span.IndexOf((byte)'\n')) >= 0)
            {
                _ = System.Text.Encoding.UTF8.GetString(span[..i]);
                count++;
                span = span[(i + 1)..];
            }
        }

        return (clock.Elapsed.TotalSeconds, count);
    }

    private static Process Start(string self, string dll, params string[] args)
    {
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

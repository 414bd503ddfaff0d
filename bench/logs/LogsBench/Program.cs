using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Logs.Drains;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;

// Log pipeline benchmark and crash-test host.
//   LogsBench ingest DATA APP INSTANCE [COMPACT_BYTES]   tail the instance's files into the store until killed (used by
//                                        the kill -9 tests); with COMPACT_BYTES, punch stored prefixes like the server
//   LogsBench write FILE COUNT [RATE]    append COUNT numbered lines as fast as possible (or paced at RATE lines/s)
//   LogsBench receive PORT               count RFC 6587 octet-counted frames, print the count on each second
//   LogsBench run LINES                  the benchmark (see bench/logs/run.sh)
return args switch
{
    ["ingest", var data, var app, var instance] => await IngestAsync(data, app, instance, 0),
    ["ingest", var data, var app, var instance, var compact] => await IngestAsync(data, app, instance, long.Parse(compact, CultureInfo.InvariantCulture)),
    ["write", var file, var count] => Write(file, int.Parse(count, CultureInfo.InvariantCulture), 0),
    ["write", var file, var count, var rate] => Write(file, int.Parse(count, CultureInfo.InvariantCulture), int.Parse(rate, CultureInfo.InvariantCulture)),
    ["receive", var port] => await ReceiveAsync(int.Parse(port, CultureInfo.InvariantCulture)),
    ["run", var lines] => await Bench.RunAsync(int.Parse(lines, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: LogsBench ingest DATA APP INSTANCE | write FILE COUNT | receive PORT | run LINES");
    return 2;
}

static async Task<int> IngestAsync(string data, string app, string instance, long compactBytes)
{
    var paths = new NuagePaths(data);
    await using var store = new LogStore(new LogStoreOptions { Directory = paths.LogStore });
    await using var tailers = new InstanceOutputTailers(store, compactBytes > 0 ? new InstanceOutputOptions { AppDirectory = paths.InstanceLogs, CompactBytes = compactBytes } : null);
    tailers.Start(new InstanceOutput(app, instance, "dep-1",
        paths.InstanceOutput(app, instance, "stdout"), paths.InstanceOutput(app, instance, "stderr")));
    Console.WriteLine("ready");
    await Task.Delay(Timeout.Infinite);
    return 0;
}

static int Write(string file, int count, int rate)
{
    var clock = Stopwatch.StartNew();
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
    var line = new StringBuilder();
    for (var i = 1; i <= count; i++)
    {
        line.Clear().Append("2026-01-01T00:00:00Z INFO request handled method=GET path=/api/items status=200 n=").Append(i).Append('\n');
        stream.Write(Encoding.ASCII.GetBytes(line.ToString()));
        if (rate > 0 && i % 1000 == 0)
        {
            stream.Flush();
            var ahead = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (ahead > TimeSpan.Zero)
            {
                Thread.Sleep(ahead);
            }
        }
    }

    return 0;
}

static async Task<int> ReceiveAsync(int port)
{
    var listener = new TcpListener(IPAddress.Loopback, port);
    listener.Start();
    Console.WriteLine("ready");
    long frames = 0;
    _ = Task.Run(async () =>
    {
        while (true)
        {
            await Task.Delay(200);
            Console.WriteLine(Interlocked.Read(ref frames).ToString(CultureInfo.InvariantCulture));
        }
    });
    while (true)
    {
        var client = await listener.AcceptTcpClientAsync();
        _ = Task.Run(async () =>
        {
            using var c = client;
            var stream = c.GetStream();
            var buffer = new byte[1 << 16];
            var pending = 0L;
            var length = 0L;
            var inLength = true;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < read;)
                {
                    if (inLength)
                    {
                        var b = buffer[i++];
                        if (b == ' ')
                        {
                            inLength = false;
                            pending = length;
                            length = 0;
                        }
                        else
                        {
                            length = (length * 10) + (b - '0');
                        }
                    }
                    else
                    {
                        var take = (int)Math.Min(pending, read - i);
                        pending -= take;
                        i += take;
                        if (pending == 0)
                        {
                            inLength = true;
                            Interlocked.Increment(ref frames);
                        }
                    }
                }
            }
        });
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;

namespace Nuage.Tests.Shared;

/// <summary>
/// A real stayrtr (Debian's package) started for one test on 127.0.0.1 and a port of its own, serving the VRPs of a JSON
/// file in the rpki-client format that the test writes (and may rewrite: stayrtr re-reads it every second).
/// </summary>
internal sealed class StayRtr : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private StayRtr(string dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    private string CacheFile => Path.Combine(_dir, "vrps.json");

    /// <summary>
    /// Starts stayrtr serving <paramref name="vrps"/> (prefix, max length, AS). <paramref name="extra"/> are more flags,
    /// e.g. <c>-protocol 0</c> for a cache that speaks RTR version 0 only.
    /// </summary>
    public static async Task<StayRtr> StartAsync(IEnumerable<(string Prefix, int MaxLength, uint Asn)>? vrps, int refreshSeconds = 3600, params string[] extra)
    {
        if (!File.Exists("/usr/bin/stayrtr"))
        {
            throw new InvalidOperationException("stayrtr is missing: apt-get install stayrtr (listed in .ci/packages/bgp.apt)");
        }

        var dir = Directory.CreateTempSubdirectory("nuage-stayrtr-").FullName;
        var port = DaemonTools.FreePort(IPAddress.Loopback);
        var cache = Path.Combine(dir, "vrps.json");
        if (vrps is not null)
        {
            await WriteVrpsAsync(cache, vrps);
        }

        var start = new ProcessStartInfo("/usr/bin/stayrtr",
        [
            "-bind", $"127.0.0.1:{port}", "-cache", cache, "-checktime=false", "-metrics.addr", "127.0.0.1:0",
            "-refresh", "1", "-rtr.refresh", refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var stayRtr = new StayRtr(dir, Process.Start(start)!, port);
        var deadline = Stopwatch.StartNew();
        while (!Listening(port) && deadline.Elapsed < TimeSpan.FromSeconds(30) && !stayRtr._process.HasExited)
        {
            await Task.Delay(100);
        }

        return Listening(port) ? stayRtr : throw new InvalidOperationException("stayrtr did not start: " + stayRtr.Log);
    }

    /// <summary>Replaces the served VRPs; stayrtr notices within its one-second refresh and bumps its serial.</summary>
    public Task SetVrpsAsync(IEnumerable<(string Prefix, int MaxLength, uint Asn)> vrps) => WriteVrpsAsync(CacheFile, vrps);

    private static async Task WriteVrpsAsync(string path, IEnumerable<(string Prefix, int MaxLength, uint Asn)> vrps)
    {
        var roas = string.Join(",\n", vrps.Select(v => $$"""  {"prefix":"{{v.Prefix}}","maxLength":{{v.MaxLength}},"asn":"AS{{v.Asn}}","ta":"test"}"""));
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, $$"""{"roas":[{{roas}}]}""");
        File.Move(temporary, path, overwrite: true); // stayrtr never reads a half-written file
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }


    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

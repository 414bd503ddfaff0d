using System.Diagnostics;
using System.Net;
using System.Text;

using Nuage.Tests.Shared;

namespace Nuage.Bgp.Tests.Interop;

/// <summary>
/// A real GoBGP (Debian's gobgpd) started for one test: passive BGP on a loopback address and port of its own, its gRPC
/// API on another port of that address, routes read back with <c>gobgp global rib -j</c>. No zebra: nothing reaches the
/// kernel's routing table.
/// </summary>
internal sealed class GoBgp : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private readonly string? _netns;

    private GoBgp(string dir, Process process, IPAddress address, int port, int apiPort, string? netns)
    {
        _dir = dir;
        _netns = netns;
        _process = process;
        Address = address;
        Port = port;
        ApiPort = apiPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public int ApiPort { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>Starts GoBGP on a loopback address and free ports, or inside network namespace <paramref name="netns"/> on port 179.</summary>
    public static async Task<GoBgp> StartAsync(IPAddress address, IPAddress neighbor, uint localAs, uint neighborAs, string? netns = null)
    {
        if (!File.Exists("/usr/bin/gobgpd"))
        {
            throw new InvalidOperationException("GoBGP is missing: apt-get install gobgpd (listed in .ci/packages/bgp.apt)");
        }

        var dir = Directory.CreateTempSubdirectory("nuage-gobgp-").FullName;
        var port = netns is null ? DaemonTools.FreePort(address) : 179;
        var apiPort = netns is null ? DaemonTools.FreePort(address) : 50051;
        var config = Path.Combine(dir, "gobgpd.toml");
        await File.WriteAllTextAsync(config, $$"""
            [global.config]
              as = {{localAs}}
              router-id = "{{address}}"
              port = {{port}}
              local-address-list = ["{{address}}"]

            [[neighbors]]
              [neighbors.config]
                neighbor-address = "{{neighbor}}"
                peer-as = {{neighborAs}}
              [neighbors.transport.config]
                passive-mode = true
              [neighbors.ebgp-multihop.config]
                enabled = true
                multihop-ttl = 2
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv6-unicast"
            """);
        string[] arguments = ["-f", config, "-p", "--api-hosts", $"{Bracketed(address)}:{apiPort}", "--pprof-disable"];
        var (file, command) = netns is null ? ("/usr/bin/gobgpd", arguments) : VethLink.In(netns, "/usr/bin/gobgpd", arguments);
        var start = new ProcessStartInfo(file, command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var gobgp = new GoBgp(dir, Process.Start(start)!, address, port, apiPort, netns);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && !gobgp._process.HasExited && !(await gobgp.GobgpAsync("global")).Contains("AS", StringComparison.Ordinal))
        {
            await Task.Delay(100);
        }

        return (await gobgp.GobgpAsync("global")).Contains("AS", StringComparison.Ordinal) ? gobgp : throw new InvalidOperationException("gobgpd did not start: " + gobgp.Log);
    }

    /// <summary>What <c>gobgp global rib -a ipv4|ipv6 -j</c> prints: every route with its attributes, as JSON.</summary>
    public Task<string> RibAsync(string family) => GobgpAsync("global", "rib", "-a", family, "-j");

    public Task<string> NeighborAsync() => GobgpAsync("neighbor");

    public async Task<string> WaitForRibAsync(string family, Func<string, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        var rib = await RibAsync(family);
        while (!done(rib) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            rib = await RibAsync(family);
        }

        return rib;
    }

    private Task<string> GobgpAsync(params string[] command)
    {
        string[] arguments = ["-u", Address.ToString(), "-p", ApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command];
        var (file, line) = _netns is null ? ("/usr/bin/gobgp", arguments) : VethLink.In(_netns, "/usr/bin/gobgp", arguments);
        return DaemonTools.RunAsync(file, line);
    }

    private static string Bracketed(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

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


    public ValueTask DisposeAsync() => new(DaemonTools.StopAsync(_process, _dir));
}

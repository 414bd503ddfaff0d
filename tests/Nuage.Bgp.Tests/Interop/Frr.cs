using System.Diagnostics;
using System.Net;
using System.Text;

using Nuage.Tests.Shared;

namespace Nuage.Bgp.Tests.Interop;

/// <summary>
/// A real FRR bgpd (Debian's frr) started directly for one test, without systemd, watchfrr or zebra (<c>-Z -n</c>):
/// passive BGP on a loopback address and port of its own, its vty socket in the test's directory, routes read back with
/// <c>vtysh --vty_socket DIR -d bgpd -c "show bgp … json"</c>. Nothing reaches the kernel's routing table.
/// </summary>
internal sealed class Frr : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private Frr(string dir, Process process, IPAddress address, int port)
    {
        _dir = dir;
        _process = process;
        Address = address;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>Starts bgpd on a loopback address and a free port, or inside network namespace <paramref name="netns"/> on port 179.</summary>
    public static async Task<Frr> StartAsync(IPAddress address, IPAddress neighbor, uint localAs, uint neighborAs, string? netns = null)
    {
        if (!File.Exists("/usr/lib/frr/bgpd"))
        {
            throw new InvalidOperationException("FRR is missing: apt-get install frr (listed in .ci/packages/bgp.apt)");
        }

        var dir = Directory.CreateTempSubdirectory("nuage-frr-").FullName;
        var port = netns is null ? DaemonTools.FreePort(address) : 179;
        var config = Path.Combine(dir, "bgpd.conf");
        await File.WriteAllTextAsync(config, $"""
            frr defaults traditional
            hostname nuage-test
            log file {dir}/bgpd.log
            !
            router bgp {localAs}
             bgp router-id {address}
             no bgp ebgp-requires-policy
             neighbor {neighbor} remote-as {neighborAs}
             neighbor {neighbor} passive
             neighbor {neighbor} ebgp-multihop 2
             neighbor {neighbor} timers connect 1
             address-family ipv6 unicast
              neighbor {neighbor} activate
             exit-address-family
            !
            """);

        // -Z: no zebra, -n: no kernel routes, -S: stay root without dropping to the frr user, -P 0: no TCP vty.
        string[] arguments =
        [
            "-f", config, "-i", Path.Combine(dir, "bgpd.pid"), "-z", Path.Combine(dir, "zserv.api"), "--vty_socket", dir,
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", address.ToString(), "-Z", "-n", "-S", "-P", "0",
        ];
        var (file, command) = netns is null ? ("/usr/lib/frr/bgpd", arguments) : VethLink.In(netns, "/usr/lib/frr/bgpd", arguments);
        var start = new ProcessStartInfo(file, command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var frr = new Frr(dir, Process.Start(start)!, address, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && !frr._process.HasExited && !(await frr.VtyshAsync("show bgp summary json")).Contains("routerId", StringComparison.Ordinal))
        {
            await Task.Delay(100);
        }

        return (await frr.VtyshAsync("show bgp summary json")).Contains("routerId", StringComparison.Ordinal)
            ? frr
            : throw new InvalidOperationException("bgpd did not start: " + frr.Log);
    }

    /// <summary>What <c>show bgp ipv4|ipv6 unicast [PREFIX] json</c> prints.</summary>
    public Task<string> RoutesAsync(string family, string? prefix = null) => VtyshAsync($"show bgp {family} unicast {prefix} json");

    public Task<string> NeighborAsync() => VtyshAsync("show bgp summary");

    public async Task<string> WaitForRoutesAsync(string family, string? prefix, Func<string, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        var routes = await RoutesAsync(family, prefix);
        while (!done(routes) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            routes = await RoutesAsync(family, prefix);
        }

        return routes;
    }

    private Task<string> VtyshAsync(string command) =>
        DaemonTools.RunAsync("/usr/bin/vtysh", ["--vty_socket", _dir, "-d", "bgpd", "-c", command]);

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

using System.Diagnostics;
using System.Net;

namespace Nuage.Tests.Shared;

/// <summary>
/// A real BIRD 2 (Debian's bird2) started for one test: passive BGP on a loopback address and port of its own, its
/// routes read back with birdc. Nothing is exported to the kernel (no kernel protocol), so the host's routing is untouched.
/// </summary>
internal sealed class BirdPeer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;

    private BirdPeer(string dir, Process process, IPAddress address, int port)
    {
        _dir = dir;
        _process = process;
        Address = address;
        Port = port;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    private string Socket => Path.Combine(_dir, "bird.ctl");

    /// <summary>BIRD's own log (every event, "log … all"), for failure messages.</summary>
    public string Log => File.Exists(Path.Combine(_dir, "bird.log")) ? File.ReadAllText(Path.Combine(_dir, "bird.log")) : "(no log)";

    /// <summary>
    /// Starts BIRD as AS <paramref name="localAs"/> on <paramref name="address"/>, expecting Nuage from <paramref name="neighbor"/>:
    /// on a loopback address and a free port, or inside network namespace <paramref name="netns"/> on port 179 with the
    /// neighbour directly connected (a veth link, see <see cref="VethLink"/>).
    /// </summary>
    public static async Task<BirdPeer> StartAsync(IPAddress address, IPAddress neighbor, uint localAs, uint neighborAs, int holdTime = 9, string? netns = null)
    {
        if (!File.Exists("/usr/sbin/bird"))
        {
            throw new InvalidOperationException("BIRD 2 is missing: apt-get install bird2 (listed in .ci/packages)");
        }

        var dir = Directory.CreateTempSubdirectory("nuage-bird-").FullName;
        var port = netns is null ? DaemonTools.FreePort(address) : 179;
        await File.WriteAllTextAsync(Path.Combine(dir, "bird.conf"), $$"""
            router id {{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address : IPAddress.Parse("192.0.2.254"))}};
            log "{{dir}}/bird.log" all;
            protocol device { }
            protocol bgp nuage {
              local {{address}} port {{port}} as {{localAs}};
              neighbor {{neighbor}} as {{neighborAs}};
              passive on;
              {{(netns is null ? "multihop; # the next hop (a loopback address) is checked recursively, not as a directly connected neighbour" : "direct;")}}
              hold time {{holdTime}};
              debug { states, events };
              connect retry time 1;
              error wait time 1, 5; # back within seconds after an error (BIRD's default waits 60 s)
              ipv4 { import all; export none; };
              ipv6 { import all; export none; };
            }
            """);
        string[] arguments = ["-f", "-c", Path.Combine(dir, "bird.conf"), "-s", Path.Combine(dir, "bird.ctl"), "-P", Path.Combine(dir, "bird.pid")];
        var (file, command) = netns is null ? ("/usr/sbin/bird", arguments) : VethLink.In(netns, "/usr/sbin/bird", arguments);
        var start = new ProcessStartInfo(file, command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var bird = new BirdPeer(dir, process, address, port);
        for (var i = 0; i < 100 && !File.Exists(bird.Socket); i++)
        {
            await Task.Delay(100);
        }

        return File.Exists(bird.Socket) ? bird : throw new InvalidOperationException("BIRD did not start: " + await process.StandardError.ReadToEndAsync());
    }

    /// <summary>What <c>birdc show route all protocol nuage</c> prints (every route with its attributes).</summary>
    public Task<string> RoutesAsync() => BirdcAsync("show", "route", "all", "protocol", "nuage");

    public Task<string> ProtocolAsync() => BirdcAsync("show", "protocols", "all", "nuage");

    /// <summary>Restarts the BGP protocol, as an operator's <c>birdc restart</c>: the session is reset by the peer.</summary>
    public Task<string> RestartSessionAsync() => BirdcAsync("restart", "nuage");

    /// <summary>Polls until <paramref name="done"/> holds for the route table (bounded), and returns the last table seen.</summary>
    public async Task<string> WaitForRoutesAsync(Func<string, bool> done, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var routes = await RoutesAsync();
        while (!done(routes) && deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            await Task.Delay(100);
            routes = await RoutesAsync();
        }

        return routes;
    }

    private Task<string> BirdcAsync(params string[] command) => DaemonTools.RunAsync("/usr/sbin/birdc", ["-s", Socket, .. command]);


    public ValueTask DisposeAsync() => new(DaemonTools.StopAsync(_process, _dir));
}

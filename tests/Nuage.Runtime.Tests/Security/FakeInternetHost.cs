using System.Diagnostics;
using System.Globalization;
using Nuage.Runtime.Networking;

namespace Nuage.Runtime.Tests.Security;

/// <summary>
/// A stand-in for a host on the internet: a network namespace this test creates, linked to the host by a veth pair
/// with a TEST-NET-3 address (203.0.113.0/24, outside every private range), serving one page with python3.
/// Nothing leaves the machine.
/// </summary>
internal sealed class FakeInternetHost : IAsyncDisposable
{
    public const int Port = 8080;
    public const string Page = "hello from outside";

    private readonly string _namespace;
    private readonly string _interface;
    private readonly string _root;
    private Process? _server;

    private FakeInternetHost(string suffix, int block)
    {
        _namespace = "nt-inet-" + suffix;
        _interface = "ntinet" + suffix;
        HostAddress = string.Create(CultureInfo.InvariantCulture, $"203.0.113.{block * 4 + 1}");
        Address = string.Create(CultureInfo.InvariantCulture, $"203.0.113.{block * 4 + 2}");
        _root = Path.Combine(Path.GetTempPath(), _namespace);
    }

    /// <summary>The outside host's address (the host's end of the link is <see cref="HostAddress"/>).</summary>
    public string Address { get; }

    public string HostAddress { get; }

    public static async Task<FakeInternetHost> StartAsync()
    {
        var host = new FakeInternetHost(Guid.NewGuid().ToString("N")[..6], Random.Shared.Next(1, 63));
        var error = await InstanceNetworks.RunAsync("/bin/bash", ["-c", """
            set -e
            ip netns add "$1"
            ip link add "$2" type veth peer name eth0 netns "$1"
            ip addr add "$3/30" dev "$2"
            ip link set "$2" up
            ip -n "$1" link set lo up
            ip -n "$1" addr add "$4/30" dev eth0
            ip -n "$1" link set eth0 up
            """, "fake-internet", host._namespace, host._interface, host.HostAddress, host.Address], null, CancellationToken.None);
        Assert.True(error is null, $"could not create the fake internet host: {error}");
        Directory.CreateDirectory(host._root);
        await File.WriteAllTextAsync(Path.Combine(host._root, "index.html"), Page);
        host._server = Process.Start(new ProcessStartInfo("nsenter")
        {
            ArgumentList = { "--net=/run/netns/" + host._namespace, "python3", "-m", "http.server", Port.ToString(CultureInfo.InvariantCulture), "--bind", host.Address, "--directory", host._root },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host._server.OutputDataReceived += (_, _) => { };
        host._server.ErrorDataReceived += (_, _) => { };
        host._server.BeginOutputReadLine();
        host._server.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                if (await client.GetStringAsync(new Uri($"http://{host.Address}:{Port}/")) == Page)
                {
                    return host;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        await host.DisposeAsync();
        throw new TimeoutException("the fake internet host did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        await InstanceNetworks.RunAsync("/bin/bash", ["-c", "ip netns delete \"$1\"; ip link delete \"$2\" 2>/dev/null; exit 0", "fake-internet", _namespace, _interface], null, CancellationToken.None);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

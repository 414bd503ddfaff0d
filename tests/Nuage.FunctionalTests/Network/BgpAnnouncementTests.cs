using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Hosting;
using Nuage.Tests.Shared;


namespace Nuage.FunctionalTests.Network;

/// <summary>
/// `nuage server` announcing a prefix to a real BIRD 2 (loopback addresses of the test's own), tied to its router's
/// health: the router process is frozen (SIGSTOP) to make it stop answering, then thawed.
/// </summary>
public sealed class BgpAnnouncementTests
{
    private static readonly IPAddress BirdAddress = IPAddress.Parse("127.0.82.2");
    private static readonly IPAddress NuageAddress = IPAddress.Parse("127.0.82.1");

    [Fact]
    public async Task Prefix_IsAnnouncedWhileTheRouterAnswers_WithdrawnWhileItDoesNot_AndAnnouncedAgain()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Router = RouterModes.Process });
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        using var http = server.Http();
        await AddPeerAndPrefixAsync(http, bird);

        var announced = await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        Assert.True(announced.Contains("BGP.community: (65001,7)", StringComparison.Ordinal), announced + await bird.ProtocolAsync());
        var status = await http.GetFromJsonAsync<JsonElement>("v1/network/status");
        Assert.True(status.GetProperty("routerHealthy").GetBoolean());
        Assert.Equal("established", status.GetProperty("peers")[0].GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("peers")[0].GetProperty("prefixesAnnounced").GetInt32());

        var router = RouterPid(server);
        Signal("STOP", router);
        try
        {
            var withdrawn = await bird.WaitForRoutesAsync(r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));
            Assert.DoesNotContain("192.0.2.0/24", withdrawn, StringComparison.Ordinal);
            Assert.False((await http.GetFromJsonAsync<JsonElement>("v1/network/status")).GetProperty("routerHealthy").GetBoolean());
        }
        finally
        {
            Signal("CONT", router);
        }

        var again = await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        Assert.Contains("192.0.2.0/24", again, StringComparison.Ordinal);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("nuage_bgp_session_established", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerShutdown_MarksTheRoutesWithTheGracefulShutdownCommunity_ThenWithdrawsThem()
    {
        var server = await RunningServer.StartAsync();
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        using (var http = server.Http())
        {
            await AddPeerAndPrefixAsync(http, bird);
        }

        await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        var stopping = server.DisposeAsync().AsTask();
        var marked = await bird.WaitForRoutesAsync(r => r.Contains("(65535,0)", StringComparison.Ordinal));
        await stopping;
        var after = await bird.WaitForRoutesAsync(r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Contains("BGP.community: (65001,7) (65535,0)", marked, StringComparison.Ordinal); // added to the route's own
        Assert.DoesNotContain("192.0.2.0/24", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RpkiInvalidPrefix_IsNeverAnnounced_UnlessExplicitlyOverridden()
    {
        await using var stayrtr = await StayRtr.StartAsync([("192.0.2.0/24", 24, 65001), ("198.51.100.0/24", 24, 65099)]);
        await using var server = await RunningServer.StartAsync();
        await using var bird = await BirdPeer.StartAsync(IPAddress.Parse("127.0.83.2"), IPAddress.Parse("127.0.83.1"), localAs: 65000, neighborAs: 65001);
        using var http = server.Http();
        using (var preflight = await http.PutAsJsonAsync("v1/network/preflight", new { rpki = new { cache = $"127.0.0.1:{stayrtr.Port}", policy = "refuse" } }))
        {
            Assert.True(preflight.IsSuccessStatusCode, await preflight.Content.ReadAsStringAsync());
        }

        using (var peer = await http.PostAsJsonAsync("v1/network/peers", new { address = "127.0.83.2", port = bird.Port, remoteAs = 65000, localAs = 65001, localAddress = "127.0.83.1", holdTime = 9 }))
        {
            Assert.True(peer.IsSuccessStatusCode, await peer.Content.ReadAsStringAsync());
        }

        await http.PostAsJsonAsync("v1/network/prefixes", new { prefix = "192.0.2.0/24" });
        await http.PostAsJsonAsync("v1/network/prefixes", new { prefix = "198.51.100.0/24" }); // its ROA names AS65099

        var routes = await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        var status = await http.GetFromJsonAsync<JsonElement>("v1/network/status");
        var invalid = status.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("prefix").GetString() == "198.51.100.0/24");
        Assert.Contains("192.0.2.0/24", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.0/24", routes, StringComparison.Ordinal);
        Assert.Equal("invalid", invalid.GetProperty("rpki").GetString());
        Assert.False(invalid.GetProperty("allowed").GetBoolean());

        await http.PostAsJsonAsync("v1/network/prefixes", new { prefix = "198.51.100.0/24", allowRpkiInvalid = true });
        routes = await bird.WaitForRoutesAsync(r => r.Contains("198.51.100.0/24", StringComparison.Ordinal));
        Assert.Contains("198.51.100.0/24", routes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_IsRefusedNamingEachField_AndNothingIsSaved()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();

        using var peer = await http.PostAsJsonAsync("v1/network/peers", new
        {
            address = "224.0.0.5", remoteAs = 23456, localAs = 0, holdTime = 2, families = new[] { "ipv4", "ipv6", "vpnv4" },
            nextHopV6 = "::ffff:192.0.2.1", password = "secret",
        });
        using var prefix = await http.PostAsJsonAsync("v1/network/prefixes", new { prefix = "192.0.2.1/24", communities = new[] { "65001:70000" } });
        using var viewer = server.Http(await AuthTests.CreateTokenAsync(server, "viewer"));
        using var forbidden = await viewer.GetAsync("v1/network/status");

        var peerBody = await peer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, peer.StatusCode);
        foreach (var field in new[] { "\"address\"", "\"remoteAs\"", "\"localAs\"", "\"holdTime\"", "\"families\"", "\"nextHopV6\"", "\"password\"", "\"routerId\"" })
        {
            Assert.Contains(field, peerBody, StringComparison.Ordinal);
        }

        Assert.Contains("AS_TRANS", peerBody, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", peerBody, StringComparison.Ordinal);
        var prefixBody = await prefix.Content.ReadAsStringAsync();
        Assert.Contains("did you mean 192.0.2.0/24?", prefixBody, StringComparison.Ordinal);
        Assert.Contains("\"communities\"", prefixBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("v1/network/peers")).EnumerateArray());
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("v1/network/prefixes")).EnumerateArray());
    }

    private static async Task AddPeerAndPrefixAsync(HttpClient http, BirdPeer bird)
    {
        using var peer = await http.PostAsJsonAsync("v1/network/peers", new
        {
            address = bird.Address.ToString(), port = bird.Port, remoteAs = 65000, localAs = 65001, localAddress = NuageAddress.ToString(), holdTime = 9,
        });
        Assert.True(peer.IsSuccessStatusCode, await peer.Content.ReadAsStringAsync());
        using var prefix = await http.PostAsJsonAsync("v1/network/prefixes", new { prefix = "192.0.2.0/24", communities = new[] { "65001:7" } });
        var body = await prefix.Content.ReadAsStringAsync();
        Assert.True(prefix.IsSuccessStatusCode, body);
        Assert.Contains("documentation space", body, StringComparison.Ordinal); // allowed, but said
    }

    private static int RouterPid(RunningServer server) =>
        ServerProcess.RouterPid(server.DataDirectory);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}

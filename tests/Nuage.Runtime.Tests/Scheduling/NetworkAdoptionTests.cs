using Nuage.Core.Instances;
using Nuage.Runtime.Networking;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Scheduling;

/// <summary>An instance's network namespace outlives the scheduler (a server crash) and goes away when the instance stops.</summary>
public sealed class NetworkAdoptionTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task Adopt_IsolatedInstanceAfterSchedulerGone_KeepsItsAddress_AndStopRemovesItsNamespace()
    {
        // Given an isolated web instance whose scheduler goes away as in a kill -9 of the server.
        var first = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false });
        _fx.CreateApp("netadopt", new Dictionary<string, string> { ["index.html"] = "adopted" });
        var address = first.AllocateAddress()!;
        var spec = _fx.Spec("netadopt", "netadopt-1", "exec python3 -m http.server $PORT --bind 127.0.0.1", InstanceKind.Web, first.AllocatePort(), address: address);
        var saved = await first.StartAsync(spec);
        await first.DisposeAsync();
        var netns = "/run/netns/" + InstanceNetworks.NamespaceOf(address);
        Assert.True(File.Exists(netns));

        // When a new scheduler adopts it.
        var second = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false });
        var result = Assert.Single(await second.AdoptAsync([new AdoptedInstance(spec, saved)]));

        // Then it still answers at its address, no new instance gets that address, and stopping it removes its namespace.
        Assert.True(result.Adopted, result.Reason);
        Assert.Equal("adopted", await GetAsync($"http://{address}:{spec.Port}/"));
        var other = second.AllocateAddress()!;
        Assert.NotEqual(address, other);
        second.ReleaseAddress(other);
        await second.StopAsync(spec.InstanceId);
        Assert.False(File.Exists(netns));
    }

    [Fact]
    public async Task InstanceThatKeepsItsAddress_StoppedAndStartedAgain_AnotherServerNeverTakesTheAddressInBetween()
    {
        // Given an add-on-like instance (KeepsAddress) of this server, stopped as for a restore
        var mine = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false });
        _fx.CreateApp("keeper", new Dictionary<string, string> { ["index.html"] = "kept" });
        var address = mine.AllocateAddress()!;
        var spec = _fx.Spec("keeper", "keeper-1", "exec sleep 60", InstanceKind.Web, mine.AllocatePort(), address: address) with { KeepsAddress = true };
        await mine.StartAsync(spec);
        await mine.StopAsync(spec.InstanceId, TimeSpan.FromSeconds(2));
        mine.Remove(spec.InstanceId);

        // When another server on the machine allocates addresses meanwhile (its cursor starts where ours did)
        var other = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false, RunDirectory = o.RunDirectory + "-other" });
        var theirs = other.AllocateAddress()!;

        // Then it gets another address, and ours starts again with its own
        Assert.NotEqual(address, theirs);
        var restarted = await mine.StartAsync(spec);
        Assert.False(Nuage.Runtime.Scheduling.LocalScheduler.IsFinal(restarted.Status), restarted.ToString()); // before the fix: "claimed by another Nuage server"
        await mine.StopAsync(spec.InstanceId, TimeSpan.FromSeconds(2));
        mine.Remove(spec.InstanceId);
        mine.ReleaseAddress(address);
        other.ReleaseAddress(theirs);
    }

    private static async Task<string> GetAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync(new Uri(url));
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}

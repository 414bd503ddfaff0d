using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nuage.Bgp.Rpki;

using Nuage.Tests.Shared;

namespace Nuage.Bgp.Tests.Rpki;

/// <summary>The RTR client against a real stayrtr on 127.0.0.1 serving VRPs from a file the test writes.</summary>
public sealed class RtrClientStayRtrTests
{
    private static readonly (string, int, uint)[] Vrps =
    [
        ("192.0.2.0/24", 24, 65001),
        ("198.51.100.0/22", 24, 65002),
        ("203.0.113.0/24", 24, 0), // AS0: nobody may originate it
        ("2001:db8::/32", 48, 65001),
    ];

    [Fact]
    public async Task OriginValidation_ValidInvalidAndNotFound_ForIpv4AndIpv6()
    {
        await using var cache = await StayRtr.StartAsync(Vrps);
        await using var client = Client(cache);
        client.Start();
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache);

        Assert.Equal(4, client.Table.Count);
        Assert.Equal(1, client.Version);
        Assert.Equal(1, client.ResetQueries);
        Assert.Equal(TimeSpan.FromSeconds(3600), client.Intervals.Refresh); // from stayrtr's End of Data (-rtr.refresh)

        Assert.Equal(OriginValidation.Valid, State(client, "192.0.2.0/24", 65001));
        Assert.Equal(OriginValidation.Invalid, State(client, "192.0.2.0/24", 65009)); // wrong origin
        Assert.Equal(OriginValidation.Invalid, State(client, "192.0.2.128/25", 65001)); // more specific than max length
        Assert.Equal(OriginValidation.Valid, State(client, "198.51.101.0/24", 65002)); // more specific within max length
        Assert.Equal(OriginValidation.NotFound, State(client, "10.0.0.0/8", 65001));
        Assert.Equal(OriginValidation.Invalid, State(client, "203.0.113.0/24", 0)); // an AS0 VRP never matches
        Assert.Equal(OriginValidation.Invalid, State(client, "203.0.113.0/24", 65001));

        Assert.Equal(OriginValidation.Valid, State(client, "2001:db8:42::/48", 65001));
        Assert.Equal(OriginValidation.Invalid, State(client, "2001:db8:42::/56", 65001));
        Assert.Equal(OriginValidation.Invalid, State(client, "2001:db8::/32", 65009));
        Assert.Equal(OriginValidation.NotFound, State(client, "2001:db9::/32", 65001));

        var result = client.Validate(IPNetwork.Parse("192.0.2.0/24"), 65001);
        Assert.Equal(new Vrp(IPNetwork.Parse("192.0.2.0/24"), 24, 65001), Assert.Single(result.Matching));
    }

    [Fact]
    public async Task ChangedVrpFile_IsPickedUpBySerialQuery_OnTheCachesRefreshInterval()
    {
        // No Serial Notify: the client's own refresh timer (1 s, from End of Data) must ask.
        await using var cache = await StayRtr.StartAsync(Vrps, refreshSeconds: 1, "-notifications=false");
        await using var client = Client(cache);
        client.Start();
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache);
        var serial = client.Serial;
        Assert.Equal(OriginValidation.NotFound, State(client, "100.64.0.0/16", 65003));

        await cache.SetVrpsAsync([.. Vrps.Where(v => v.Item1 != "192.0.2.0/24"), ("100.64.0.0/16", 16, 65003)]);
        await WaitAsync(() => State(client, "100.64.0.0/16", 65003) == OriginValidation.Valid, client, cache);

        Assert.Equal(OriginValidation.NotFound, State(client, "192.0.2.0/24", 65001)); // withdrawn
        Assert.Equal(1, client.ResetQueries);
        Assert.True(client.SerialQueries >= 1, $"{client.SerialQueries} serial queries");
        Assert.NotEqual(serial, client.Serial);
    }

    [Fact]
    public async Task ChangedVrpFile_IsPickedUpAtOnce_WhenTheCacheSendsSerialNotify()
    {
        // Refresh interval of an hour: only stayrtr's Serial Notify can make the client ask within the wait below.
        await using var cache = await StayRtr.StartAsync(Vrps);
        await using var client = Client(cache);
        client.Start();
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache);

        await cache.SetVrpsAsync([.. Vrps, ("100.64.0.0/16", 16, 65003)]);
        await WaitAsync(() => State(client, "100.64.0.0/16", 65003) == OriginValidation.Valid, client, cache);

        Assert.Equal(1, client.ResetQueries);
        Assert.Equal(1, client.SerialQueries);
        Assert.Equal(OriginValidation.Valid, State(client, "192.0.2.0/24", 65001)); // the rest is kept
    }

    [Fact]
    public async Task CacheSpeakingVersion0Only_ClientFallsBackToVersion0()
    {
        await using var cache = await StayRtr.StartAsync(Vrps, 3600, "-protocol", "0");
        await using var client = Client(cache);
        client.Start();
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache);

        Assert.Equal(0, client.Version); // stayrtr -protocol 0 answers a version 1 query in version 0
        Assert.Equal(OriginValidation.Valid, State(client, "2001:db8::/40", 65001));
        Assert.Equal(TimeSpan.FromSeconds(3600), client.Intervals.Refresh); // version 0 has no intervals: the defaults
    }

    [Fact]
    public async Task CacheWithoutData_ItsErrorReportIsSurfaced_AndTheClientRetriesUntilDataArrives()
    {
        await using var cache = await StayRtr.StartAsync(vrps: null); // no VRP file yet
        var options = new RtrClientOptions { Host = "127.0.0.1", Port = cache.Port, Retry = TimeSpan.FromSeconds(1) };
        await using var client = new RtrClient(options, TimeProvider.System, NullLogger.Instance);
        client.Start();
        // The report is recorded just before the client turns to Retrying: wait for both (it then reconnects every second).
        await WaitAsync(() => client.LastErrorReport is not null && client.State == RtrClientState.Retrying, client, cache);

        Assert.Equal(RtrErrorCode.NoDataAvailable, client.LastErrorReport!.Code);
        Assert.Contains("no data available", client.LastError, StringComparison.Ordinal);
        Assert.Equal(OriginValidation.NotFound, State(client, "192.0.2.0/24", 65001));

        await cache.SetVrpsAsync(Vrps);
        // stayrtr looks for a file it has never loaded every 30 s only (its own backoff), hence the longer bound.
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache, TimeSpan.FromSeconds(90));
        Assert.Equal(OriginValidation.Valid, State(client, "192.0.2.0/24", 65001));
    }

    [Fact]
    public async Task CacheGone_DataExpiresAfterTheExpireInterval_AndEverythingIsNotFound()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var cache = await StayRtr.StartAsync(Vrps);
        await using var client = new RtrClient(new RtrClientOptions { Host = "127.0.0.1", Port = cache.Port }, time, NullLogger.Instance);
        client.Start();
        await WaitAsync(() => client.State == RtrClientState.Synchronized, client, cache);
        var expire = client.Intervals.Expire; // stayrtr's -rtr.expire default, 7200 s

        await cache.StopAsync();
        await WaitAsync(() => client.State == RtrClientState.Retrying, client, cache);
        time.Advance(expire - TimeSpan.FromSeconds(1));
        Assert.Equal(OriginValidation.Valid, State(client, "192.0.2.0/24", 65001)); // still within the expire interval

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(RtrClientState.Expired, client.State);
        Assert.Equal(OriginValidation.NotFound, State(client, "192.0.2.0/24", 65001));
        Assert.Equal(TimeSpan.FromSeconds(7200), expire);
    }

    private static RtrClient Client(StayRtr cache) =>
        new(new RtrClientOptions { Host = "127.0.0.1", Port = cache.Port }, TimeProvider.System, NullLogger.Instance);

    private static OriginValidation State(RtrClient client, string prefix, uint originAs) => client.Validate(IPNetwork.Parse(prefix), originAs).State;

    private static async Task WaitAsync(Func<bool> done, RtrClient client, StayRtr cache, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!done() && deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            await Task.Delay(50);
        }

        Assert.True(done(), $"state {client.State}, last error {client.LastError}\n{cache.Log}");
    }
}

using System.Net;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Sessions;

public sealed partial class BgpSession
{
    // Prefixes per UPDATE, well under 4096 bytes: an IPv4 prefix takes at most 5 bytes, an IPv6 one 17.
    private const int V4PerMessage = 400;
    private const int V6PerMessage = 150;

    /// <summary>Sends what changed whenever announcements change, and a KEEPALIVE every third of the hold time.</summary>
    private async Task SendLoopAsync(System.Net.Sockets.NetworkStream stream, SemaphoreSlim writeLock, int hold, List<AddressFamily> families, IPAddress localAddress, CancellationToken end)
    {
        var keepalive = hold == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(hold / 3.0);
        _changed.Writer.TryWrite(true); // the whole table once, at the start of the session
        var endOfRib = peer.GracefulRestartTime is not null;
        while (!end.IsCancellationRequested)
        {
            using var wait = new CancellationTokenSource(keepalive, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(end, wait.Token);
            try
            {
                await _changed.Reader.ReadAsync(either.Token);
                foreach (var update in Changes(families, localAddress))
                {
                    await SendAsync(stream, writeLock, update, end);
                }

                if (endOfRib)
                {
                    // RFC 4724 §2: End-of-RIB after the initial table, per family; a helper then drops what it kept
                    // from before the restart and was not announced again.
                    endOfRib = false;
                    foreach (var family in families)
                    {
                        await SendAsync(stream, writeLock, EndOfRib(family), end);
                    }
                }
            }
            catch (OperationCanceledException) when (!end.IsCancellationRequested)
            {
                await SendAsync(stream, writeLock, new KeepaliveMessage(), end);
            }
        }
    }

    private static UpdateMessage EndOfRib(AddressFamily family) => family == AddressFamily.IPv4Unicast
        ? new UpdateMessage([], null, [])
        : new UpdateMessage([], new PathAttributes { MpUnreach = new MpUnreach(family, []) }, []);

    /// <summary>The UPDATEs that bring the peer from what was sent to what is wanted, and records them as sent.</summary>
    private List<UpdateMessage> Changes(List<AddressFamily> families, IPAddress localAddress)
    {
        List<Announcement> announce;
        List<IPNetwork> withdraw;
        lock (_gate)
        {
            withdraw = [.. _sent.Keys.Where(p => !_wanted.ContainsKey(p))];
            announce = [.. _wanted.Values.Where(a => !_sent.TryGetValue(a.Prefix, out var sent) || !Same(sent, a))];
        }

        var v4 = families.Contains(AddressFamily.IPv4Unicast);
        var v6 = families.Contains(AddressFamily.IPv6Unicast);
        var hop4 = peer.NextHopV4 ?? (BgpCodec.IsV4(localAddress) ? localAddress : null);
        var hop6 = peer.NextHopV6 ?? (BgpCodec.IsV4(localAddress) ? null : localAddress);
        var skipped = announce.Where(a => a.IsV4 ? !v4 || hop4 is null : !v6 || hop6 is null).ToList();
        if (skipped.Count > 0)
        {
            LastError = $"not announced (family not negotiated or no next hop configured): {string.Join(", ", skipped.Select(a => a.Prefix))}";
        }

        announce = [.. announce.Except(skipped)];
        var updates = new List<UpdateMessage>();
        foreach (var chunk in withdraw.Where(p => BgpCodec.IsV4(p.BaseAddress)).Chunk(V4PerMessage))
        {
            updates.Add(new UpdateMessage(chunk, null, []));
        }

        foreach (var chunk in withdraw.Where(p => !BgpCodec.IsV4(p.BaseAddress)).Chunk(V6PerMessage))
        {
            updates.Add(new UpdateMessage([], new PathAttributes { MpUnreach = new MpUnreach(AddressFamily.IPv6Unicast, chunk) }, []));
        }

        // Routes sharing their communities share an UPDATE.
        foreach (var group in announce.GroupBy(a => (a.IsV4, Key(a))))
        {
            var template = group.First();
            var attributes = Attributes(template);
            foreach (var chunk in group.Select(a => a.Prefix).Chunk(group.Key.IsV4 ? V4PerMessage : V6PerMessage))
            {
                updates.Add(group.Key.IsV4
                    ? new UpdateMessage([], attributes with { NextHop = hop4 }, chunk)
                    : new UpdateMessage([], attributes with { MpReach = new MpReach(AddressFamily.IPv6Unicast, hop6!, chunk) }, []));
            }
        }

        lock (_gate)
        {
            foreach (var prefix in withdraw)
            {
                _sent.Remove(prefix);
            }

            foreach (var a in announce)
            {
                _sent[a.Prefix] = a;
            }
        }

        return updates;
    }

    private PathAttributes Attributes(Announcement a) => new()
    {
        Origin = 0, // IGP: the prefix is this network's own
        AsPath = peer.IsInternal ? [] : [.. Enumerable.Repeat(peer.LocalAs, 1 + peer.Prepend)],
        Med = peer.Med,
        LocalPref = peer.IsInternal ? peer.LocalPref ?? 100 : null,
        Communities = a.Communities,
        LargeCommunities = a.LargeCommunities,
    };

    private static string Key(Announcement a) =>
        string.Join(',', a.Communities) + "|" + string.Join(',', a.LargeCommunities);

    private static bool Same(Announcement a, Announcement b) => Key(a) == Key(b);
}

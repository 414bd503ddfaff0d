using System.Net;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Tests.Wire;

/// <summary>
/// Whatever a peer sends, reading it ends in a message or a <see cref="BgpProtocolException"/> (a NOTIFICATION), never
/// another exception: valid messages with random bytes changed, truncated, lengthened, and plain noise behind a valid header.
/// </summary>
public sealed class BgpCodecFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        BgpCodec.Encode(new OpenMessage(65001, 90, IPAddress.Parse("192.0.2.1"), [Capability.Multiprotocol(AddressFamily.IPv4Unicast), Capability.Multiprotocol(AddressFamily.IPv6Unicast), Capability.FourOctetAs(65001)])),
        BgpCodec.Encode(new UpdateMessage([IPNetwork.Parse("203.0.113.0/24")], new PathAttributes
        {
            AsPath = [65001, 65002], NextHop = IPAddress.Parse("198.51.100.1"), Med = 5, LocalPref = 100,
            Communities = [42], LargeCommunities = [new LargeCommunity(1, 2, 3)],
            MpReach = new MpReach(AddressFamily.IPv6Unicast, IPAddress.Parse("2001:db8::1"), [IPNetwork.Parse("2001:db8::/32")]),
            MpUnreach = new MpUnreach(AddressFamily.IPv6Unicast, [IPNetwork.Parse("2001:db8:1::/48")]),
        }, [IPNetwork.Parse("192.0.2.0/24")])),
        BgpCodec.Encode(new NotificationMessage(3, 1, [1, 2, 3])),
        BgpCodec.Encode(new KeepaliveMessage()),
    ];

    [Fact]
    public void MutatedMessages_NeverThrowAnythingButAProtocolError()
    {
        var random = new Random(20261201); // fixed seed: a failure reproduces
        var parsed = 0;
        var refused = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var seed = Seeds[random.Next(Seeds.Length)];
            var bytes = Mutate(seed, random);
            try
            {
                var length = BgpCodec.ReadHeader(bytes);
                if (length != bytes.Length)
                {
                    refused++;
                    continue;
                }

                BgpCodec.Decode(bytes);
                parsed++;
            }
            catch (BgpProtocolException)
            {
                refused++;
            }
        }

        // Both outcomes must occur, or the mutations are not reaching the parser's depths.
        Assert.True(parsed > 1000 && refused > 1000, $"parsed {parsed}, refused {refused}");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        switch (random.Next(4))
        {
            case 0: // flip a few bytes after the header (the header is checked by ReadHeader alone)
                for (var n = random.Next(1, 4); n > 0 && bytes.Count > 19; n--)
                {
                    bytes[random.Next(19, bytes.Count)] = (byte)random.Next(256);
                }

                break;
            case 1: // truncate
                bytes = [.. bytes.Take(random.Next(19, seed.Length + 1))];
                break;
            case 2: // append noise
                bytes.AddRange(Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256)));
                break;
            default: // replace the body with noise of the same length
                for (var j = 19; j < bytes.Count; j++)
                {
                    bytes[j] = (byte)random.Next(256);
                }

                break;
        }

        // Keep the header's length in step with the body most of the time, so the body parsers see the damage.
        if (random.Next(4) != 0)
        {
            bytes[16] = (byte)(bytes.Count >> 8);
            bytes[17] = (byte)bytes.Count;
        }

        return [.. bytes];
    }
}

using System.Net;
using Nuage.Bgp.Rpki;

namespace Nuage.Bgp.Tests.Rpki;

/// <summary>
/// Whatever a cache sends, decoding ends in a PDU or an <see cref="RtrProtocolException"/> (answered with an Error
/// Report), never another exception: valid PDUs with bytes changed, truncated, lengthened, and noise behind a valid header.
/// </summary>
public sealed class RtrCodecFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        RtrCodec.Encode(new SerialNotifyPdu(1, 7, 42)),
        RtrCodec.Encode(new CacheResponsePdu(1, 7)),
        RtrCodec.Encode(new PrefixPdu(1, true, new Vrp(IPNetwork.Parse("192.0.2.0/24"), 24, 65001))),
        RtrCodec.Encode(new PrefixPdu(1, false, new Vrp(IPNetwork.Parse("2001:db8::/32"), 48, 65001))),
        RtrCodec.Encode(new EndOfDataPdu(1, 7, 42, 3600, 600, 7200)),
        RtrCodec.Encode(new EndOfDataPdu(0, 7, 42)),
        RtrCodec.Encode(new CacheResetPdu(1)),
        RtrCodec.Encode(new ErrorReportPdu(1, RtrErrorCode.NoDataAvailable, RtrCodec.Encode(new ResetQueryPdu(1)), "no data")),
        [1, 9, 1, 0, 0, 0, 0, 40, .. new byte[20], 0, 0, 0xFD, 0xE9, 1, 2, 3, 4, 5, 6, 7, 8], // a Router Key
    ];

    [Fact]
    public void MutatedPdus_NeverThrowAnythingButAProtocolError()
    {
        var random = new Random(20261201); // fixed seed: a failure reproduces
        var parsed = 0;
        var refused = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var bytes = Mutate(Seeds[random.Next(Seeds.Length)], random);
            try
            {
                var length = RtrCodec.ReadHeader(bytes);
                if (length != bytes.Length)
                {
                    refused++;
                    continue;
                }

                RtrCodec.Decode(bytes);
                parsed++;
            }
            catch (RtrProtocolException)
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
        switch (random.Next(5))
        {
            case 0: // flip a few bytes anywhere past the length field, and sometimes the type
                for (var n = random.Next(1, 4); n > 0 && bytes.Count > 8; n--)
                {
                    bytes[random.Next(8, bytes.Count)] = (byte)random.Next(256);
                }

                if (random.Next(4) == 0)
                {
                    bytes[1] = (byte)random.Next(12);
                }

                break;
            case 1: // truncate, fixing up the length so the body parser sees it
                bytes = [.. bytes.Take(random.Next(8, seed.Length + 1))];
                SetLength(bytes);
                break;
            case 2: // append noise, length fixed up
                bytes.AddRange(Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256)));
                SetLength(bytes);
                break;
            case 3: // a random length field
                bytes[4 + random.Next(4)] = (byte)random.Next(256);
                break;
            default: // replace the body with noise of the same length
                for (var j = 8; j < bytes.Count; j++)
                {
                    bytes[j] = (byte)random.Next(256);
                }

                break;
        }

        return [.. bytes];
    }

    private static void SetLength(List<byte> bytes)
    {
        var length = bytes.Count;
        bytes[4] = (byte)(length >> 24);
        bytes[5] = (byte)(length >> 16);
        bytes[6] = (byte)(length >> 8);
        bytes[7] = (byte)length;
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Bgp.Rpki;

namespace Nuage.Bgp.Tests.Rpki;

/// <summary>
/// FAKE cache (a TcpListener in the test): stayrtr answers a version 1 query from a version-0-only configuration in
/// version 0 rather than with an Error Report, so the other fallback of RFC 8210 §7 — "Unsupported Protocol Version",
/// then a new connection in version 0 — has no real server here and is played by this script.
/// </summary>
public sealed class RtrVersionFallbackFakeCacheTests
{
    [Fact]
    public async Task UnsupportedProtocolVersionErrorReport_ClientReconnectsInVersion0()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var queries = new List<RtrPdu>();
        var cache = Task.Run(async () =>
        {
            using (var first = await listener.AcceptTcpClientAsync())
            {
                var stream = first.GetStream();
                queries.Add(await ReadAsync(stream));
                await stream.WriteAsync(RtrCodec.Encode(new ErrorReportPdu(0, RtrErrorCode.UnsupportedProtocolVersion, [], "version 0 only")));
            }

            using var second = await listener.AcceptTcpClientAsync();
            var again = second.GetStream();
            queries.Add(await ReadAsync(again));
            await again.WriteAsync(RtrCodec.Encode(new CacheResponsePdu(0, 9)));
            await again.WriteAsync(RtrCodec.Encode(new PrefixPdu(0, true, new Vrp(IPNetwork.Parse("192.0.2.0/24"), 24, 65001))));
            await again.WriteAsync(RtrCodec.Encode(new EndOfDataPdu(0, 9, 1)));
            await again.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false); // hold the connection until the client closes it
        });
        _ = cache;
        var options = new RtrClientOptions { Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port };
        await using var client = new RtrClient(options, TimeProvider.System, NullLogger.Instance);

        client.Start();
        for (var i = 0; i < 300 && client.State != RtrClientState.Synchronized; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(RtrClientState.Synchronized, client.State);
        Assert.Equal(0, client.Version);
        Assert.Equal(RtrErrorCode.UnsupportedProtocolVersion, client.LastErrorReport?.Code);
        Assert.Equal([new ResetQueryPdu(1), new ResetQueryPdu(0)], queries);
        Assert.Equal(OriginValidation.Valid, client.Validate(IPNetwork.Parse("192.0.2.0/24"), 65001).State);
    }

    private static async Task<RtrPdu> ReadAsync(NetworkStream stream)
    {
        var header = new byte[RtrCodec.HeaderLength];
        await stream.ReadExactlyAsync(header);
        var pdu = new byte[RtrCodec.ReadHeader(header)];
        header.CopyTo(pdu, 0);
        await stream.ReadExactlyAsync(pdu.AsMemory(RtrCodec.HeaderLength));
        return RtrCodec.Decode(pdu);
    }
}

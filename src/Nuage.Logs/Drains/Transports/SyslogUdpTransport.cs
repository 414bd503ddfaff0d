using System.Buffers;
using System.Net.Sockets;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>syslog-udp: one RFC 5424 message per datagram (RFC 5426). UDP cannot confirm delivery.</summary>
internal sealed class SyslogUdpTransport(Uri uri, SyslogFormatter formatter) : IDrainTransport
{
    private const int MaxDatagram = 8192;
    private readonly ArrayBufferWriter<byte> _datagram = new(1024);
    private UdpClient? _client;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        if (_client is null)
        {
            _client = new UdpClient(uri.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            _client.Connect(uri.IdnHost, uri.Port);
        }

        foreach (var record in batch)
        {
            _datagram.ResetWrittenCount();
            formatter.Write(record, _datagram);
            await _client.SendAsync(_datagram.WrittenMemory[..Math.Min(_datagram.WrittenCount, MaxDatagram)], ct);
        }

        return DeliveryResult.Ok;
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }
}

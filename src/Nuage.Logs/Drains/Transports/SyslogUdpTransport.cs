using System.Buffers;
using System.Net.Sockets;
using Nuage.Logs.Drains.Network;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>syslog-udp: one RFC 5424 message per datagram (RFC 5426). UDP cannot confirm delivery.</summary>
internal sealed class SyslogUdpTransport(Uri uri, SyslogFormatter formatter, DrainDestinationPolicy policy) : IDrainTransport
{
    private const int MaxDatagram = 8192;
    private readonly ArrayBufferWriter<byte> _datagram = new(1024);
    private Socket? _socket;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        // Resolved and checked against the destination policy on each (re)connect.
        _socket ??= await policy.ConnectAsync(uri.IdnHost, uri.Port, SocketType.Dgram, ProtocolType.Udp, ct);

        try
        {
            foreach (var record in batch)
            {
                _datagram.ResetWrittenCount();
                formatter.Write(record, _datagram);
                await _socket.SendAsync(_datagram.WrittenMemory[..Math.Min(_datagram.WrittenCount, MaxDatagram)], ct);
            }
        }
        catch (SocketException ex)
        {
            _socket.Dispose();
            _socket = null;
            throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: connection failed", ex);
        }

        return DeliveryResult.Ok;
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Net.Sockets;
using System.Text;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>syslog-udp: one RFC 5424 message per datagram (RFC 5426). UDP cannot confirm delivery.</summary>
internal sealed class SyslogUdpTransport(Uri uri, SyslogFormatter formatter) : IDrainTransport
{
    private const int MaxDatagram = 8192;
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
            var bytes = Encoding.UTF8.GetBytes(formatter.Format(record));
            await _client.SendAsync(bytes.AsMemory(0, Math.Min(bytes.Length, MaxDatagram)), ct);
        }

        return DeliveryResult.Ok;
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }
}

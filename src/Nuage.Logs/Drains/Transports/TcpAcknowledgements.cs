using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace Nuage.Logs.Drains.Transports;

/// <summary>
/// What the receiver's kernel acknowledged on a TCP connection, read from Linux's TCP_INFO (getsockopt). Syslog over
/// TCP/TLS has no application-level acknowledgement (RFC 5425/6587), so this is the strongest proof of receipt there is:
/// bytes the peer ACKed have left this machine and sit at least in the peer's socket buffer.
/// </summary>
internal readonly record struct TcpAcknowledgements(bool Established, long Written, long Acknowledged)
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;
    private const int EstablishedState = 1;

    // Offsets in struct tcp_info (linux/tcp.h), stable since the fields were added (bytes_sent and bytes_retrans: Linux 4.19).
    private const int StateOffset = 0;
    private const int BytesAckedOffset = 120;
    private const int NotSentOffset = 144;
    private const int BytesSentOffset = 200;
    private const int BytesRetransOffset = 208;
    private const int Needed = 216;

    /// <summary>Every byte written is acknowledged (the kernel's send queue is empty).</summary>
    public bool AllAcknowledged => Acknowledged >= Written;

    /// <summary>Reads the connection's counters; null where TCP_INFO lacks them (not Linux, or a kernel older than 4.19).</summary>
    public static TcpAcknowledgements? Read(Socket socket)
    {
        Span<byte> info = stackalloc byte[256];
        int length;
        try
        {
            length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or ObjectDisposedException)
        {
            return null;
        }

        if (length < Needed)
        {
            return null;
        }

        // Bytes written into the socket = unique bytes sent (sent minus retransmitted) plus bytes not sent yet.
        var sent = MemoryMarshal.Read<long>(info[BytesSentOffset..]) - MemoryMarshal.Read<long>(info[BytesRetransOffset..]);
        var notSent = MemoryMarshal.Read<uint>(info[NotSentOffset..]);
        return new TcpAcknowledgements(
            info[StateOffset] == EstablishedState,
            sent + notSent,
            MemoryMarshal.Read<long>(info[BytesAckedOffset..]));
    }
}

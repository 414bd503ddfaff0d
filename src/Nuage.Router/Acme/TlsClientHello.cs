using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Connections;

namespace Nuage.Router.Acme;

/// <summary>
/// Reads the ALPN protocols a TLS client offers from its ClientHello without consuming it (the TLS handshake then reads the
/// same bytes). .NET's handshake callback tells the server name but not the ALPN list, and RFC 8737 wants the challenge
/// certificate only for clients offering <c>acme-tls/1</c>: this connection middleware marks such connections.
/// </summary>
internal static class TlsClientHello
{
    /// <summary>Set in the connection's items when the client offered <c>acme-tls/1</c>.</summary>
    public const string OffersAcmeTls = "nuage.acme-tls/1";

    private const int HeaderLength = 5;
    private const int MaxRecord = 16384 + 2048;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Peeks at the first TLS record; marks the connection, then hands it on untouched. A client silent for 10 s is closed.</summary>
    public static async Task PeekAsync(ConnectionContext connection, ConnectionDelegate next, TimeProvider time)
    {
        var input = connection.Transport.Input;
        using (var timeout = new CancellationTokenSource(ReadTimeout, time))
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, connection.ConnectionClosed))
        {
            try
            {
                var result = await input.ReadAtLeastAsync(HeaderLength, cancel.Token);
                var length = RecordLength(result.Buffer);
                input.AdvanceTo(result.Buffer.Start);
                if (length is { } record && !result.IsCompleted)
                {
                    result = await input.ReadAtLeastAsync(HeaderLength + record, cancel.Token);
                    if (result.Buffer.Length >= HeaderLength + record && OffersProtocol(result.Buffer.Slice(HeaderLength, record).ToArray(), AcmeTlsAlpn.Protocol.Protocol.Span))
                    {
                        connection.Items[OffersAcmeTls] = true;
                    }

                    input.AdvanceTo(result.Buffer.Start);
                }
            }
            catch (OperationCanceledException)
            {
                return; // silent or gone: close
            }
        }

        await next(connection);
    }

    /// <summary>The length of a TLS handshake record starting the buffer, or null when it is not one.</summary>
    private static int? RecordLength(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < HeaderLength)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        return header[0] == 0x16 && header[1] == 0x03 && length is > 0 and <= MaxRecord ? length : null;
    }

    /// <summary>
    /// True when the handshake message in <paramref name="record"/> is a ClientHello whose ALPN extension (RFC 7301) lists
    /// <paramref name="protocol"/>. Any malformed or truncated part answers false (the TLS stack then judges the hello itself).
    /// </summary>
    public static bool OffersProtocol(ReadOnlySpan<byte> record, ReadOnlySpan<byte> protocol)
    {
        var r = new Reader(record);
        if (r.Byte() != 1)
        {
            return false; // not a ClientHello
        }

        r.Skip(3 + 2 + 32); // handshake length, legacy version, random
        r.Skip(r.Byte()); // session id
        r.Skip(r.UInt16()); // cipher suites
        r.Skip(r.Byte()); // compression methods
        var extensions = new Reader(r.Bytes(r.UInt16()));
        while (extensions.Ok && extensions.Remaining >= 4)
        {
            var type = extensions.UInt16();
            var data = extensions.Bytes(extensions.UInt16());
            if (type != 16)
            {
                continue; // not application_layer_protocol_negotiation
            }

            var list = new Reader(data);
            var names = new Reader(list.Bytes(list.UInt16()));
            while (names.Ok && names.Remaining > 0)
            {
                if (names.Bytes(names.Byte()).SequenceEqual(protocol) && names.Ok)
                {
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    /// <summary>A bounds-checked big-endian reader: reading past the end clears <see cref="Ok"/> and yields zeros/empty spans.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public bool Ok { get; private set; } = true;

        public readonly int Remaining => _data.Length;

        public int Byte() => Bytes(1) is [var b] ? b : 0;

        public int UInt16() => Bytes(2) is [var high, var low] ? (high << 8) | low : 0;

        public void Skip(int count) => Bytes(count);

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (!Ok || count > _data.Length)
            {
                Ok = false;
                _data = default;
                return default;
            }

            var taken = _data[..count];
            _data = _data[count..];
            return taken;
        }
    }
}

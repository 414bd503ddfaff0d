using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Nuage.Bgp.Rpki;

/// <summary>
/// Encodes and decodes RTR PDUs (RFC 8210 §5). Decoding is bounds-checked: any malformed PDU is an
/// <see cref="RtrProtocolException"/> (Corrupt Data, Unsupported PDU Type), never another exception.
/// </summary>
public static class RtrCodec
{
    public const int HeaderLength = 8;

    /// <summary>The largest PDU accepted: far above any real one (an Error Report quoting a PDU plus its text).</summary>
    public const int MaxPduLength = 64 * 1024;

    /// <summary>Checks an 8-byte header and returns the whole PDU's length.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength)
        {
            throw new RtrProtocolException(RtrErrorCode.CorruptData, $"a PDU header is {HeaderLength} bytes, got {header.Length}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return length is < HeaderLength or > MaxPduLength
            ? throw new RtrProtocolException(RtrErrorCode.CorruptData, $"PDU length {length} is outside {HeaderLength}..{MaxPduLength}")
            : (int)length;
    }

    public static RtrPdu Decode(ReadOnlySpan<byte> pdu)
    {
        var length = ReadHeader(pdu);
        if (length != pdu.Length)
        {
            throw new RtrProtocolException(RtrErrorCode.CorruptData, $"PDU length field says {length} bytes, got {pdu.Length}");
        }

        var version = pdu[0];
        var type = pdu[1];
        var field = BinaryPrimitives.ReadUInt16BigEndian(pdu[2..]);
        var body = pdu[HeaderLength..];
        return type switch
        {
            RtrPduType.SerialNotify => new SerialNotifyPdu(version, field, Serial(body, type)),
            RtrPduType.SerialQuery => new SerialQueryPdu(version, field, Serial(body, type)),
            RtrPduType.ResetQuery => Empty(body, type, new ResetQueryPdu(version)),
            RtrPduType.CacheResponse => Empty(body, type, new CacheResponsePdu(version, field)),
            RtrPduType.IPv4Prefix => Prefix(version, body, 4),
            RtrPduType.IPv6Prefix => Prefix(version, body, 16),
            RtrPduType.EndOfData => EndOfData(version, field, body),
            RtrPduType.CacheReset => Empty(body, type, new CacheResetPdu(version)),
            RtrPduType.RouterKey => RouterKey(version, (byte)(field >> 8), body),
            RtrPduType.ErrorReport => ErrorReport(version, field, body),
            _ => throw new RtrProtocolException(RtrErrorCode.UnsupportedPduType, $"PDU type {type} is not one this client knows"),
        };
    }

    public static byte[] Encode(RtrPdu pdu) => pdu switch
    {
        SerialNotifyPdu p => Pdu(p.Version, RtrPduType.SerialNotify, p.SessionId, w => w.UInt32(p.Serial)),
        SerialQueryPdu p => Pdu(p.Version, RtrPduType.SerialQuery, p.SessionId, w => w.UInt32(p.Serial)),
        ResetQueryPdu p => Pdu(p.Version, RtrPduType.ResetQuery, 0, _ => { }),
        CacheResponsePdu p => Pdu(p.Version, RtrPduType.CacheResponse, p.SessionId, _ => { }),
        PrefixPdu p => Pdu(p.Version, p.Vrp.Prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? RtrPduType.IPv4Prefix : RtrPduType.IPv6Prefix, 0, w => w
            .Byte(p.Announce ? (byte)1 : (byte)0).Byte((byte)p.Vrp.Prefix.PrefixLength).Byte(p.Vrp.MaxLength).Byte(0)
            .Bytes(p.Vrp.Prefix.BaseAddress.GetAddressBytes()).UInt32(p.Vrp.Asn)),
        EndOfDataPdu p => Pdu(p.Version, RtrPduType.EndOfData, p.SessionId, w =>
        {
            w.UInt32(p.Serial);
            if (p.Version >= 1)
            {
                w.UInt32(p.Refresh ?? 3600).UInt32(p.Retry ?? 600).UInt32(p.Expire ?? 7200);
            }
        }),
        CacheResetPdu p => Pdu(p.Version, RtrPduType.CacheReset, 0, _ => { }),
        ErrorReportPdu p => Pdu(p.Version, RtrPduType.ErrorReport, (ushort)p.Code, w =>
        {
            var text = Encoding.UTF8.GetBytes(p.Text);
            w.UInt32((uint)p.ErroneousPdu.Length).Bytes(p.ErroneousPdu).UInt32((uint)text.Length).Bytes(text);
        }),
        _ => throw new ArgumentException($"{pdu.GetType().Name} is not encoded by this client", nameof(pdu)),
    };

    private static byte[] Pdu(byte version, byte type, ushort field, Action<Wire.Writer> body)
    {
        var content = new Wire.Writer();
        body(content);
        return new Wire.Writer().Byte(version).Byte(type).UInt16(field).UInt32((uint)(HeaderLength + content.Length)).Bytes(content.ToArray()).ToArray();
    }

    private static uint Serial(ReadOnlySpan<byte> body, byte type) => body.Length == 4
        ? BinaryPrimitives.ReadUInt32BigEndian(body)
        : throw Corrupt(type, 12, body);

    private static T Empty<T>(ReadOnlySpan<byte> body, byte type, T pdu) => body.IsEmpty ? pdu : throw Corrupt(type, 8, body);

    private static RtrProtocolException Corrupt(byte type, int expected, ReadOnlySpan<byte> body) =>
        new(RtrErrorCode.CorruptData, $"a PDU of type {type} is {expected} bytes long, got {HeaderLength + body.Length}");

    private static PrefixPdu Prefix(byte version, ReadOnlySpan<byte> body, int addressLength)
    {
        var type = addressLength == 4 ? RtrPduType.IPv4Prefix : RtrPduType.IPv6Prefix;
        if (body.Length != 4 + addressLength + 4)
        {
            throw Corrupt(type, HeaderLength + 8 + addressLength, body);
        }

        var flags = body[0];
        var prefixLength = body[1];
        var maxLength = body[2];
        var bits = addressLength * 8;
        if (prefixLength > bits || maxLength > bits || maxLength < prefixLength)
        {
            throw new RtrProtocolException(RtrErrorCode.CorruptData, $"prefix length {prefixLength} and max length {maxLength} do not fit 0 <= length <= max length <= {bits}");
        }

        var address = Mask(body.Slice(4, addressLength), prefixLength);
        var asn = BinaryPrimitives.ReadUInt32BigEndian(body[(4 + addressLength)..]);
        return new PrefixPdu(version, (flags & 1) != 0, new Vrp(new IPNetwork(address, prefixLength), maxLength, asn));
    }

    /// <summary>The address with the bits past <paramref name="prefixLength"/> cleared (IPNetwork refuses host bits).</summary>
    internal static IPAddress Mask(ReadOnlySpan<byte> address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[address.Length];
        address.CopyTo(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static EndOfDataPdu EndOfData(byte version, ushort sessionId, ReadOnlySpan<byte> body)
    {
        if (version == 0)
        {
            return new EndOfDataPdu(version, sessionId, Serial(body, RtrPduType.EndOfData));
        }

        if (body.Length != 16)
        {
            throw Corrupt(RtrPduType.EndOfData, 24, body);
        }

        return new EndOfDataPdu(version, sessionId, BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt32BigEndian(body[4..]), BinaryPrimitives.ReadUInt32BigEndian(body[8..]), BinaryPrimitives.ReadUInt32BigEndian(body[12..]));
    }

    private static RouterKeyPdu RouterKey(byte version, byte flags, ReadOnlySpan<byte> body)
    {
        // Subject Key Identifier (20), AS (4), then the Subject Public Key Info.
        return body.Length < 24
            ? throw new RtrProtocolException(RtrErrorCode.CorruptData, $"a Router Key PDU is at least 32 bytes long, got {HeaderLength + body.Length}")
            : new RouterKeyPdu(version, (flags & 1) != 0, BinaryPrimitives.ReadUInt32BigEndian(body[20..]));
    }

    private static ErrorReportPdu ErrorReport(byte version, ushort code, ReadOnlySpan<byte> body)
    {
        var pduLength = Length(ref body, "encapsulated PDU");
        var erroneous = body[..pduLength].ToArray();
        body = body[pduLength..];
        var textLength = Length(ref body, "error text");
        var text = Encoding.UTF8.GetString(body[..textLength]);
        return body.Length != textLength
            ? throw new RtrProtocolException(RtrErrorCode.CorruptData, $"an Error Report has {body.Length - textLength} bytes after its text")
            : new ErrorReportPdu(version, (RtrErrorCode)code, erroneous, text);
    }

    private static int Length(ref ReadOnlySpan<byte> body, string what)
    {
        if (body.Length < 4)
        {
            throw new RtrProtocolException(RtrErrorCode.CorruptData, $"an Error Report ends before the length of its {what}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body);
        body = body[4..];
        return length > (uint)body.Length
            ? throw new RtrProtocolException(RtrErrorCode.CorruptData, $"an Error Report's {what} of {length} bytes runs past the end ({body.Length} left)")
            : (int)length;
    }
}

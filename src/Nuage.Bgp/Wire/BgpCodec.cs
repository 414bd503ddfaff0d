using System.Buffers.Binary;
using System.Net;

namespace Nuage.Bgp.Wire;

/// <summary>
/// Reads and writes BGP messages (RFC 4271 §4). Reading checks every length against what is left before it uses it,
/// so bad input from a peer can only end as a <see cref="BgpProtocolException"/> naming the NOTIFICATION to send.
/// </summary>
public static partial class BgpCodec
{
    public const int HeaderLength = 19;
    public const int MaxMessageLength = 4096;

    /// <summary>AS_TRANS (RFC 6793): the 2-octet AS a 4-octet speaker puts in OPEN when its AS does not fit.</summary>
    public const ushort AsTrans = 23456;

    /// <summary>Checks a message header and returns the whole message's length (header included).</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header)
    {
        for (var i = 0; i < 16; i++)
        {
            if (header[i] != 0xFF)
            {
                throw new BgpProtocolException(BgpError.MessageHeader, BgpError.ConnectionNotSynchronized, "the message marker is not all ones");
            }
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        var type = header[18];
        var minimum = type switch
        {
            (byte)MessageType.Open => 29,
            (byte)MessageType.Update => 23,
            (byte)MessageType.Notification => 21,
            (byte)MessageType.Keepalive => 19,
            (byte)MessageType.RouteRefresh => 23,
            _ => throw new BgpProtocolException(BgpError.MessageHeader, BgpError.BadMessageType, $"message type {type} is not one of BGP's", [type]),
        };
        if (length < minimum || length > MaxMessageLength || (type == (byte)MessageType.Keepalive && length != HeaderLength))
        {
            throw new BgpProtocolException(BgpError.MessageHeader, BgpError.BadMessageLength, $"a type {type} message cannot be {length} bytes long", header.Slice(16, 2).ToArray());
        }

        return length;
    }

    /// <summary>Reads one whole message (header included). <paramref name="fourOctetAs"/>: both speakers announced RFC 6793.</summary>
    public static BgpMessage Decode(ReadOnlySpan<byte> message, bool fourOctetAs = true)
    {
        var length = ReadHeader(message);
        if (length != message.Length)
        {
            throw new BgpProtocolException(BgpError.MessageHeader, BgpError.BadMessageLength, $"the header says {length} bytes, the message has {message.Length}");
        }

        var body = message[HeaderLength..];
        return (MessageType)message[18] switch
        {
            MessageType.Open => DecodeOpen(body),
            MessageType.Update => DecodeUpdate(body, fourOctetAs),
            MessageType.Notification => new NotificationMessage(body[0], body[1], body[2..].ToArray()),
            MessageType.Keepalive => new KeepaliveMessage(),
            var other => new OtherMessage(other, body.ToArray()),
        };
    }

    public static byte[] Encode(BgpMessage message)
    {
        var body = new Writer();
        switch (message)
        {
            case OpenMessage open:
                EncodeOpen(open, body);
                break;
            case UpdateMessage update:
                EncodeUpdate(update, body);
                break;
            case NotificationMessage notification:
                body.Byte(notification.Code).Byte(notification.Subcode).Bytes(notification.Data);
                break;
            case KeepaliveMessage:
                break;
            case OtherMessage other:
                body.Bytes(other.Body);
                break;
        }

        var bytes = body.ToArray();
        if (bytes.Length + HeaderLength > MaxMessageLength)
        {
            throw new InvalidOperationException($"a {message.Type} message of {bytes.Length + HeaderLength} bytes exceeds BGP's {MaxMessageLength}");
        }

        var frame = new byte[HeaderLength + bytes.Length];
        frame.AsSpan(0, 16).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)frame.Length);
        frame[18] = (byte)message.Type;
        bytes.CopyTo(frame, HeaderLength);
        return frame;
    }

    private static OpenMessage DecodeOpen(ReadOnlySpan<byte> body)
    {
        var reader = new Reader(body, BgpError.OpenMessage, 0);
        var version = reader.Byte();
        if (version != 4)
        {
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.UnsupportedVersion, $"BGP version {version} is not supported (only 4)", [0, 4]);
        }

        var shortAs = reader.UInt16();
        var hold = reader.UInt16();
        if (hold is 1 or 2)
        {
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.UnacceptableHoldTime, $"a hold time of {hold} s is not allowed (0 or at least 3)");
        }

        var id = new IPAddress(reader.Take(4).ToArray());
        if (id.Equals(IPAddress.Any))
        {
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.BadBgpIdentifier, "the BGP identifier is 0.0.0.0");
        }

        var parameters = new Reader(reader.Take(reader.Byte()), BgpError.OpenMessage, 0);
        var capabilities = new List<Capability>();
        while (!parameters.Done)
        {
            var type = parameters.Byte();
            var value = new Reader(parameters.Take(parameters.Byte()), BgpError.OpenMessage, 0);
            if (type != 2)
            {
                throw new BgpProtocolException(BgpError.OpenMessage, BgpError.UnsupportedOptionalParameter, $"optional parameter {type} is not supported (only capabilities)");
            }

            while (!value.Done)
            {
                var code = value.Byte();
                capabilities.Add(new Capability(code, value.Take(value.Byte()).ToArray()));
            }
        }

        var four = capabilities.FirstOrDefault(c => c.Code == Capability.FourOctetAsCode && c.Value.Length == 4);
        var asn = four is null ? shortAs : BinaryPrimitives.ReadUInt32BigEndian(four.Value);
        return new OpenMessage(asn, hold, id, capabilities) { Version = version };
    }

    private static void EncodeOpen(OpenMessage open, Writer body)
    {
        var capabilities = new Writer();
        foreach (var capability in open.Capabilities)
        {
            capabilities.Byte(capability.Code).Byte((byte)capability.Value.Length).Bytes(capability.Value);
        }

        var parameter = capabilities.ToArray();
        body.Byte(open.Version)
            .UInt16(open.As > ushort.MaxValue ? AsTrans : (ushort)open.As)
            .UInt16(open.HoldTime)
            .Bytes(open.RouterId.GetAddressBytes());
        if (parameter.Length == 0)
        {
            body.Byte(0);
        }
        else
        {
            body.Byte((byte)(parameter.Length + 2)).Byte(2).Byte((byte)parameter.Length).Bytes(parameter);
        }
    }
}

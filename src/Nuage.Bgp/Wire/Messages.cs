using System.Net;

namespace Nuage.Bgp.Wire;

public enum MessageType : byte
{
    Open = 1,
    Update = 2,
    Notification = 3,
    Keepalive = 4,
    RouteRefresh = 5,
}

/// <summary>A BGP message (RFC 4271 §4).</summary>
public abstract record BgpMessage(MessageType Type);

/// <summary>
/// OPEN. <see cref="As"/> is the speaker's real AS number: the 4-octet capability's value when present (RFC 6793), else the 2-octet field.
/// </summary>
public sealed record OpenMessage(uint As, ushort HoldTime, IPAddress RouterId, IReadOnlyList<Capability> Capabilities) : BgpMessage(MessageType.Open)
{
    public byte Version { get; init; } = 4;
}

public sealed record KeepaliveMessage() : BgpMessage(MessageType.Keepalive);

public sealed record NotificationMessage(byte Code, byte Subcode, byte[] Data) : BgpMessage(MessageType.Notification)
{
    public string Describe() => BgpError.Describe(Code, Subcode);
}

/// <summary>A message type Nuage does not act on (ROUTE-REFRESH): read, counted, ignored.</summary>
public sealed record OtherMessage(MessageType Kind, byte[] Body) : BgpMessage(Kind);

/// <summary>
/// UPDATE. IPv4 unicast routes travel in <see cref="Withdrawn"/>/<see cref="Nlri"/>; IPv6 in the multiprotocol
/// attributes (RFC 4760). <see cref="TreatAsWithdraw"/> says a malformed attribute made the update a withdrawal (RFC 7606).
/// </summary>
public sealed record UpdateMessage(IReadOnlyList<IPNetwork> Withdrawn, PathAttributes? Attributes, IReadOnlyList<IPNetwork> Nlri) : BgpMessage(MessageType.Update)
{
    public string? TreatAsWithdraw { get; init; }

    /// <summary>Routes this update announces, of either family.</summary>
    public IEnumerable<IPNetwork> Announced => Nlri.Concat(Attributes?.MpReach?.Nlri ?? []);

    /// <summary>Routes this update withdraws, of either family.</summary>
    public IEnumerable<IPNetwork> Withdrawals => Withdrawn.Concat(Attributes?.MpUnreach?.Withdrawn ?? []);
}

/// <summary>A capability advertised in OPEN (RFC 5492).</summary>
public sealed record Capability(byte Code, byte[] Value)
{
    public const byte MultiprotocolCode = 1;
    public const byte RouteRefreshCode = 2;
    public const byte FourOctetAsCode = 65;
    public const byte GracefulRestartCode = 64;

    public static Capability Multiprotocol(AddressFamily family) =>
        new(MultiprotocolCode, [(byte)((ushort)family.Afi >> 8), (byte)family.Afi, 0, (byte)family.Safi]);

    public static Capability FourOctetAs(uint asn) =>
        new(FourOctetAsCode, [(byte)(asn >> 24), (byte)(asn >> 16), (byte)(asn >> 8), (byte)asn]);

    /// <summary>
    /// Graceful restart (RFC 4724 §3): the peer keeps this speaker's routes for <paramref name="restartTime"/> seconds
    /// when the session drops without a NOTIFICATION. <paramref name="restarted"/> sets the Restart State bit (this
    /// speaker has just restarted); <paramref name="forwarding"/> sets, per family, that traffic is still forwarded.
    /// </summary>
    public static Capability GracefulRestart(ushort restartTime, bool restarted, IEnumerable<AddressFamily> families, bool forwarding)
    {
        var time = Math.Min(restartTime, (ushort)0x0FFF); // 12 bits
        var value = new List<byte> { (byte)((restarted ? 0x80 : 0) | (time >> 8)), (byte)time };
        foreach (var family in families)
        {
            value.AddRange([(byte)((ushort)family.Afi >> 8), (byte)family.Afi, (byte)family.Safi, (byte)(forwarding ? 0x80 : 0)]);
        }

        return new(GracefulRestartCode, [.. value]);
    }

    /// <summary>The family of a multiprotocol capability, or null for another capability.</summary>
    public AddressFamily? Family => Code == MultiprotocolCode && Value.Length == 4
        ? new AddressFamily((Afi)((Value[0] << 8) | Value[1]), (Safi)Value[3])
        : null;
}

public enum Afi : ushort
{
    IPv4 = 1,
    IPv6 = 2,
}

public enum Safi : byte
{
    Unicast = 1,
}

/// <summary>An address family and subsequent address family (AFI/SAFI).</summary>
public readonly record struct AddressFamily(Afi Afi, Safi Safi)
{
    public static readonly AddressFamily IPv4Unicast = new(Afi.IPv4, Safi.Unicast);
    public static readonly AddressFamily IPv6Unicast = new(Afi.IPv6, Safi.Unicast);

    public override string ToString() => $"{Afi.ToString().ToLowerInvariant()}-{Safi.ToString().ToLowerInvariant()}";
}

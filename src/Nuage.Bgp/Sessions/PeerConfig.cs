using System.Net;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Sessions;

/// <summary>One BGP neighbour and how Nuage speaks to it (announce-only: received routes are counted, never installed).</summary>
public sealed record PeerConfig
{
    public required IPAddress Address { get; init; }

    public int Port { get; init; } = 179;

    public required uint RemoteAs { get; init; }

    public required uint LocalAs { get; init; }

    /// <summary>The BGP identifier (an IPv4 address unique to this speaker).</summary>
    public required IPAddress RouterId { get; init; }

    /// <summary>The address the TCP session starts from (the peer expects it); any when null.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>The network namespace (<c>ip netns</c> name) the session lives in; this process's own when null.</summary>
    public string? Namespace { get; init; }

    /// <summary>Seconds; 0 disables keepalives and the hold timer (RFC 4271 allows it), otherwise at least 3.</summary>
    public ushort HoldTime { get; init; } = 90;

    public IReadOnlyList<AddressFamily> Families { get; init; } = [AddressFamily.IPv4Unicast];

    /// <summary>
    /// Seconds the peer should keep this speaker's routes when the session drops without a NOTIFICATION (graceful
    /// restart, RFC 4724): set when the data path outlives the speaker (the router in a process of its own); null
    /// advertises no graceful restart, so a dropped session withdraws at once.
    /// </summary>
    public ushort? GracefulRestartTime { get; init; }

    /// <summary>Next hop of IPv4 routes; the session's own local address when it is IPv4 and this is null.</summary>
    public IPAddress? NextHopV4 { get; init; }

    /// <summary>Next hop of IPv6 routes; the session's own local address when it is IPv6 and this is null.</summary>
    public IPAddress? NextHopV6 { get; init; }

    public uint? Med { get; init; }

    /// <summary>LOCAL_PREF, sent to internal peers only (RFC 4271 §5.1.5); 100 when null.</summary>
    public uint? LocalPref { get; init; }

    /// <summary>How many extra times the local AS is put on the path (to make this route less preferred).</summary>
    public int Prepend { get; init; }

    public bool IsInternal => RemoteAs == LocalAs;

    public override string ToString() => $"{Address}:{Port} (AS{RemoteAs})" + (Namespace is null ? "" : $" in netns {Namespace}");
}

/// <summary>A prefix (or single address) to announce, with its communities.</summary>
public sealed record Announcement(IPNetwork Prefix)
{
    public IReadOnlyList<uint> Communities { get; init; } = [];

    public IReadOnlyList<LargeCommunity> LargeCommunities { get; init; } = [];

    public bool IsV4 => BgpCodec.IsV4(Prefix.BaseAddress);
}

/// <summary>A session came up (<see cref="SessionState.Established"/>) or went down (<see cref="SessionState.Idle"/>), and why.</summary>
public sealed record SessionChange(SessionState State, string Reason);

/// <summary>The session states of RFC 4271 §8.2.2 (Active is folded into Connect: Nuage always opens the connection).</summary>
public enum SessionState
{
    Idle,
    Connect,
    OpenSent,
    OpenConfirm,
    Established,
}

namespace Nuage.Core.Api;

/// <summary>A BGP neighbour of this machine (<c>nuage network peer add</c>). Unset fields take the documented defaults.</summary>
public sealed record BgpPeerDto
{
    public string? Address { get; init; }

    /// <summary>179 when unset.</summary>
    public int? Port { get; init; }

    public long? RemoteAs { get; init; }

    public long? LocalAs { get; init; }

    /// <summary>The BGP identifier; the local address when that is IPv4.</summary>
    public string? RouterId { get; init; }

    /// <summary>The address the session starts from.</summary>
    public string? LocalAddress { get; init; }

    /// <summary>The network namespace (an <c>ip netns</c> name) the session is opened in, for uplinks kept in a namespace of their own; the server's own when unset.</summary>
    public string? Namespace { get; init; }

    /// <summary>Seconds, 0 or 3–65535; 90 when unset.</summary>
    public int? HoldTime { get; init; }

    /// <summary>ipv4 and/or ipv6; ipv4 when unset.</summary>
    public IReadOnlyList<string>? Families { get; init; }

    public string? NextHopV4 { get; init; }

    public string? NextHopV6 { get; init; }

    public long? Med { get; init; }

    public long? LocalPref { get; init; }

    public int? Prepend { get; init; }

    /// <summary>TCP-MD5 (RFC 2385) is not supported: a password is refused with a clear error, never silently ignored.</summary>
    public string? Password { get; init; }
}

/// <summary>A prefix (or one address, /32 or /128) this machine announces while its router is healthy.</summary>
public sealed record BgpPrefixDto
{
    public string? Prefix { get; init; }

    /// <summary>Standard communities, "65001:42".</summary>
    public IReadOnlyList<string>? Communities { get; init; }

    /// <summary>Large communities, "4200000001:7:9".</summary>
    public IReadOnlyList<string>? LargeCommunities { get; init; }

    /// <summary>Announce even when RPKI says Invalid: an explicit, audited override (the request is in the audit trail).</summary>
    public bool? AllowRpkiInvalid { get; init; }

    /// <summary>Announce only while this app also answers its health check through this machine's router (not only the router itself).</summary>
    public string? WhileApp { get; init; }
}

/// <summary>Where the RPKI validator cache listens (RTR, RFC 8210) and what to do with prefixes it does not vouch for.</summary>
public sealed record BgpRpkiDto
{
    /// <summary>host:port of an RTR cache (stayrtr, Routinator, rpki-client + stayrtr, …).</summary>
    public string? Cache { get; init; }

    /// <summary>refuse (default: NotFound prefixes are not announced) or warn (they are, with a warning). Invalid is always refused.</summary>
    public string? Policy { get; init; }
}

/// <summary>An operator-supplied file of IRR route objects (RPSL, or a bgpq4 JSON export) checked before announcing.</summary>
public sealed record BgpIrrDto
{
    /// <summary>Path of the file on the server's machine.</summary>
    public string? File { get; init; }

    /// <summary>rpsl (default) or bgpq4.</summary>
    public string? Format { get; init; }

    /// <summary>warn (default: an unregistered prefix is announced with a warning) or refuse.</summary>
    public string? Policy { get; init; }
}

/// <summary>The pre-flight checks of one prefix for one origin AS, and whether it is announced.</summary>
/// <param name="Rpki">valid | invalid | notfound | off</param>
/// <param name="Irr">registered | unregistered | off</param>
public sealed record PrefixCheckDto(string Prefix, long OriginAs, string Rpki, string Irr, bool Allowed, string Detail);

/// <summary>What a change to the network configuration saved, with what looks wrong but is allowed.</summary>
public sealed record NetworkChangeDto<T>(T Saved, IReadOnlyList<string> Warnings);

/// <summary><c>nuage network status</c>: the router's health as the speaker sees it, each session, and what is announced.</summary>
public sealed record NetworkStatusDto(bool RouterHealthy, string? RouterHealthDetail, bool Announcing, IReadOnlyList<BgpSessionDto> Peers, IReadOnlyList<BgpPrefixDto> Prefixes)
{
    /// <summary>Each prefix checked against RPKI and IRR for each local AS in use.</summary>
    public IReadOnlyList<PrefixCheckDto> Checks { get; init; } = [];

    /// <summary>The RTR cache's state (synchronized, connecting, expired, …) and last error, when RPKI is on.</summary>
    public string? Rpki { get; init; }

    /// <summary>The latest platform events of the edge (sessions up and down, announcing and withdrawing), newest last.</summary>
    public IReadOnlyList<NetworkEventDto> Events { get; init; } = [];
}

/// <summary>A platform event of the edge; each is also an entry of the audit trail (action <c>network.event</c>).</summary>
/// <param name="Kind">session-up | session-down | announcing | withdrawn</param>
/// <param name="Subject">The peer (address:port) or, for announcing/withdrawn, "router" or "app NAME".</param>
public sealed record NetworkEventDto(DateTimeOffset At, string Kind, string Subject, string Detail);

/// <summary>One BGP session's state.</summary>
/// <param name="State">idle | connect | opensent | openconfirm | established</param>
public sealed record BgpSessionDto(
    string Address,
    int Port,
    long RemoteAs,
    string State,
    DateTimeOffset? EstablishedAt,
    long? UptimeSeconds,
    int PrefixesAnnounced,
    int PrefixesReceived,
    string? LastError);

/// <summary>Body of <c>PUT /v1/network/preflight</c>: each part null to turn that check off.</summary>
public sealed record BgpPreflightDto(BgpRpkiDto? Rpki, BgpIrrDto? Irr);

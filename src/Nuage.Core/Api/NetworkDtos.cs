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
}

/// <summary>What a change to the network configuration saved, with what looks wrong but is allowed.</summary>
public sealed record NetworkChangeDto<T>(T Saved, IReadOnlyList<string> Warnings);

/// <summary><c>nuage network status</c>: the router's health as the speaker sees it, each session, and what is announced.</summary>
public sealed record NetworkStatusDto(bool RouterHealthy, string? RouterHealthDetail, bool Announcing, IReadOnlyList<BgpSessionDto> Peers, IReadOnlyList<BgpPrefixDto> Prefixes);

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

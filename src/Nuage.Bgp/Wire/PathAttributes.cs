using System.Net;

namespace Nuage.Bgp.Wire;

/// <summary>The path attributes of an UPDATE that Nuage sends or reads (RFC 4271 §5, RFC 1997, RFC 4760, RFC 8092).</summary>
public sealed record PathAttributes
{
    public const byte OriginCode = 1;
    public const byte AsPathCode = 2;
    public const byte NextHopCode = 3;
    public const byte MedCode = 4;
    public const byte LocalPrefCode = 5;
    public const byte CommunitiesCode = 8;
    public const byte MpReachCode = 14;
    public const byte MpUnreachCode = 15;
    public const byte LargeCommunitiesCode = 32;

    /// <summary>0 IGP, 1 EGP, 2 INCOMPLETE.</summary>
    public byte Origin { get; init; }

    /// <summary>The AS path as one AS_SEQUENCE, nearest AS first.</summary>
    public IReadOnlyList<uint> AsPath { get; init; } = [];

    public IPAddress? NextHop { get; init; }

    public uint? Med { get; init; }

    public uint? LocalPref { get; init; }

    public IReadOnlyList<uint> Communities { get; init; } = [];

    public IReadOnlyList<LargeCommunity> LargeCommunities { get; init; } = [];

    public MpReach? MpReach { get; init; }

    public MpUnreach? MpUnreach { get; init; }

    /// <summary>Attributes carried but not understood (type codes), kept so a count or a log can name them.</summary>
    public IReadOnlyList<byte> Unrecognised { get; init; } = [];
}

/// <summary>MP_REACH_NLRI: routes of another family with their next hop.</summary>
public sealed record MpReach(AddressFamily Family, IPAddress NextHop, IReadOnlyList<IPNetwork> Nlri);

/// <summary>MP_UNREACH_NLRI: withdrawn routes of another family.</summary>
public sealed record MpUnreach(AddressFamily Family, IReadOnlyList<IPNetwork> Withdrawn);

/// <summary>A large community (RFC 8092): global administrator, then two local data parts.</summary>
public readonly record struct LargeCommunity(uint Global, uint Local1, uint Local2)
{
    public override string ToString() => $"{Global}:{Local1}:{Local2}";
}

/// <summary>Well-known community values.</summary>
public static class Communities
{
    /// <summary>GRACEFUL_SHUTDOWN (RFC 8326): 65535:0, sent on routes about to be withdrawn on purpose.</summary>
    public const uint GracefulShutdown = 0xFFFF0000;

    public static string Format(uint community) => $"{community >> 16}:{community & 0xFFFF}";
}

using System.Net;

namespace Nuage.Bgp.Wire;

public static partial class BgpCodec
{
    private static UpdateMessage DecodeUpdate(ReadOnlySpan<byte> body, bool fourOctetAs)
    {
        var reader = new Reader(body, BgpError.UpdateMessage, BgpError.MalformedAttributeList);
        var withdrawn = ReadPrefixes(reader.Take(reader.UInt16()), AddressFamily.IPv4Unicast);
        var attributeBlock = reader.Take(reader.UInt16());
        var nlri = ReadPrefixes(reader.Take(reader.Left), AddressFamily.IPv4Unicast);
        if (attributeBlock.IsEmpty)
        {
            return new UpdateMessage(withdrawn, null, nlri);
        }

        var (attributes, problem) = ReadAttributes(attributeBlock, fourOctetAs);
        if (problem is null && nlri.Count > 0 && attributes.NextHop is null)
        {
            problem = "NEXT_HOP is missing";
        }

        // RFC 7606: a malformed attribute turns the update into a withdrawal of its routes instead of a session reset.
        return problem is null
            ? new UpdateMessage(withdrawn, attributes, nlri)
            : new UpdateMessage([.. withdrawn, .. nlri, .. attributes.MpReach?.Nlri ?? []], attributes with { MpReach = null }, []) { TreatAsWithdraw = problem };
    }

    private static (PathAttributes Attributes, string? Problem) ReadAttributes(ReadOnlySpan<byte> block, bool fourOctetAs)
    {
        var reader = new Reader(block, BgpError.UpdateMessage, BgpError.MalformedAttributeList);
        var attributes = new PathAttributes();
        var seen = new HashSet<byte>();
        var unrecognised = new List<byte>();
        string? problem = null;
        while (!reader.Done)
        {
            if (reader.Left < 3 || (block[block.Length - reader.Left] & 0x10) != 0 && reader.Left < 4)
            {
                return (attributes, "an attribute header is cut short");
            }

            var flags = reader.Byte();
            var code = reader.Byte();
            var length = (flags & 0x10) != 0 ? reader.UInt16() : reader.Byte();
            if (length > reader.Left)
            {
                // The attribute runs past the block: nothing after it can be trusted, but the NLRI are still framed.
                return (attributes, $"attribute {code} of {length} bytes runs past the attribute list");
            }

            var value = reader.Take(length);
            if (!seen.Add(code))
            {
                if (code is PathAttributes.MpReachCode or PathAttributes.MpUnreachCode)
                {
                    throw new BgpProtocolException(BgpError.UpdateMessage, BgpError.MalformedAttributeList, $"attribute {code} appears twice");
                }

                continue; // RFC 7606 §3 g: keep the first, discard the repeats
            }

            try
            {
                attributes = Read(attributes, code, value, fourOctetAs, unrecognised);
            }
            catch (BgpProtocolException e) when (code is not (PathAttributes.MpReachCode or PathAttributes.MpUnreachCode))
            {
                problem ??= $"{Name(code)}: {e.Message}";
            }
        }

        return (attributes with { Unrecognised = unrecognised }, problem);
    }

    private static PathAttributes Read(PathAttributes a, byte code, ReadOnlySpan<byte> value, bool fourOctetAs, List<byte> unrecognised)
    {
        var reader = new Reader(value, BgpError.UpdateMessage, BgpError.AttributeLengthError);
        switch (code)
        {
            case PathAttributes.OriginCode:
                Expect(value, 1);
                return value[0] <= 2 ? a with { Origin = value[0] } : throw Bad($"ORIGIN {value[0]} is not 0, 1 or 2");
            case PathAttributes.AsPathCode:
                var path = new List<uint>();
                while (!reader.Done)
                {
                    var segmentType = reader.Byte();
                    int count = reader.Byte();
                    if (segmentType is < 1 or > 4)
                    {
                        throw Bad($"AS_PATH segment type {segmentType} is not known");
                    }

                    for (var i = 0; i < count; i++)
                    {
                        path.Add(fourOctetAs ? reader.UInt32() : reader.UInt16());
                    }
                }

                return a with { AsPath = path };
            case PathAttributes.NextHopCode:
                Expect(value, 4);
                return a with { NextHop = new IPAddress(value) };
            case PathAttributes.MedCode:
                Expect(value, 4);
                return a with { Med = reader.UInt32() };
            case PathAttributes.LocalPrefCode:
                Expect(value, 4);
                return a with { LocalPref = reader.UInt32() };
            case PathAttributes.CommunitiesCode:
                if (value.Length % 4 != 0)
                {
                    throw Bad($"COMMUNITIES of {value.Length} bytes is not a multiple of 4");
                }

                var communities = new List<uint>();
                while (!reader.Done)
                {
                    communities.Add(reader.UInt32());
                }

                return a with { Communities = communities };
            case PathAttributes.LargeCommunitiesCode:
                if (value.Length % 12 != 0)
                {
                    throw Bad($"LARGE_COMMUNITY of {value.Length} bytes is not a multiple of 12");
                }

                var large = new List<LargeCommunity>();
                while (!reader.Done)
                {
                    large.Add(new LargeCommunity(reader.UInt32(), reader.UInt32(), reader.UInt32()));
                }

                return a with { LargeCommunities = large };
            case PathAttributes.MpReachCode:
                var reachFamily = new AddressFamily((Afi)reader.UInt16(), (Safi)reader.Byte());
                var hop = reader.Take(reader.Byte());
                reader.Byte(); // reserved
                var nextHop = hop.Length switch
                {
                    4 when reachFamily.Afi == Afi.IPv4 => new IPAddress(hop),
                    16 or 32 when reachFamily.Afi == Afi.IPv6 => new IPAddress(hop[..16]), // global, then optional link-local
                    _ => throw new BgpProtocolException(BgpError.UpdateMessage, BgpError.MalformedAttributeList, $"MP_REACH_NLRI next hop of {hop.Length} bytes for {reachFamily}"),
                };
                return a with { MpReach = new MpReach(reachFamily, nextHop, ReadPrefixes(reader.Take(reader.Left), reachFamily)) };
            case PathAttributes.MpUnreachCode:
                var unreachFamily = new AddressFamily((Afi)reader.UInt16(), (Safi)reader.Byte());
                return a with { MpUnreach = new MpUnreach(unreachFamily, ReadPrefixes(reader.Take(reader.Left), unreachFamily)) };
            default:
                unrecognised.Add(code);
                return a;
        }
    }

    /// <summary>Prefixes as BGP packs them: a length in bits, then only the bytes that length needs.</summary>
    public static List<IPNetwork> ReadPrefixes(ReadOnlySpan<byte> data, AddressFamily family)
    {
        if (family.Afi is not (Afi.IPv4 or Afi.IPv6))
        {
            throw new BgpProtocolException(BgpError.UpdateMessage, BgpError.InvalidNetworkField, $"address family {family} is not supported");
        }

        var width = family.Afi == Afi.IPv4 ? 4 : 16;
        var reader = new Reader(data, BgpError.UpdateMessage, BgpError.InvalidNetworkField);
        var prefixes = new List<IPNetwork>();
        while (!reader.Done)
        {
            int bits = reader.Byte();
            if (bits > width * 8)
            {
                throw new BgpProtocolException(BgpError.UpdateMessage, BgpError.InvalidNetworkField, $"a prefix length of {bits} is too long for {family}");
            }

            var address = new byte[width];
            reader.Take((bits + 7) / 8).CopyTo(address);
            prefixes.Add(new IPNetwork(Masked(new IPAddress(address), bits), bits));
        }

        return prefixes;
    }

    private static void EncodeUpdate(UpdateMessage update, Writer body)
    {
        var withdrawn = new Writer();
        WritePrefixes(withdrawn, update.Withdrawn);
        var attributes = new Writer();
        if (update.Attributes is { } a)
        {
            WriteAttributes(attributes, a);
        }

        var nlri = new Writer();
        WritePrefixes(nlri, update.Nlri);
        body.UInt16((ushort)withdrawn.Length).Bytes(withdrawn.ToArray())
            .UInt16((ushort)attributes.Length).Bytes(attributes.ToArray())
            .Bytes(nlri.ToArray());
    }

    private static void WriteAttributes(Writer w, PathAttributes a)
    {
        const byte WellKnown = 0x40, Optional = 0x80, Transitive = 0x40;
        if (a.MpUnreach is { } unreach)
        {
            var value = new Writer().UInt16((ushort)unreach.Family.Afi).Byte((byte)unreach.Family.Safi);
            WritePrefixes(value, unreach.Withdrawn);
            Attribute(w, Optional, PathAttributes.MpUnreachCode, value);
        }

        if (a.MpReach is null && a.NextHop is null && a.AsPath.Count == 0)
        {
            return; // a withdrawal only
        }

        Attribute(w, WellKnown, PathAttributes.OriginCode, new Writer().Byte(a.Origin));
        var path = new Writer();
        if (a.AsPath.Count > 0)
        {
            path.Byte(2).Byte((byte)a.AsPath.Count);
            foreach (var asn in a.AsPath)
            {
                path.UInt32(asn);
            }
        }

        Attribute(w, WellKnown, PathAttributes.AsPathCode, path);
        if (a.NextHop is { } hop)
        {
            Attribute(w, WellKnown, PathAttributes.NextHopCode, new Writer().Bytes(hop.GetAddressBytes()));
        }

        if (a.Med is { } med)
        {
            Attribute(w, Optional, PathAttributes.MedCode, new Writer().UInt32(med));
        }

        if (a.LocalPref is { } pref)
        {
            Attribute(w, WellKnown, PathAttributes.LocalPrefCode, new Writer().UInt32(pref));
        }

        if (a.Communities.Count > 0)
        {
            var value = new Writer();
            foreach (var c in a.Communities)
            {
                value.UInt32(c);
            }

            Attribute(w, Optional | Transitive, PathAttributes.CommunitiesCode, value);
        }

        if (a.MpReach is { } reach)
        {
            var value = new Writer().UInt16((ushort)reach.Family.Afi).Byte((byte)reach.Family.Safi);
            var hopBytes = reach.NextHop.GetAddressBytes();
            value.Byte((byte)hopBytes.Length).Bytes(hopBytes).Byte(0);
            WritePrefixes(value, reach.Nlri);
            Attribute(w, Optional, PathAttributes.MpReachCode, value);
        }

        if (a.LargeCommunities.Count > 0)
        {
            var value = new Writer();
            foreach (var c in a.LargeCommunities)
            {
                value.UInt32(c.Global).UInt32(c.Local1).UInt32(c.Local2);
            }

            Attribute(w, Optional | Transitive, PathAttributes.LargeCommunitiesCode, value);
        }
    }

    private static void Attribute(Writer w, byte flags, byte code, Writer value)
    {
        var bytes = value.ToArray();
        if (bytes.Length > 255)
        {
            w.Byte((byte)(flags | 0x10)).Byte(code).UInt16((ushort)bytes.Length);
        }
        else
        {
            w.Byte(flags).Byte(code).Byte((byte)bytes.Length);
        }

        w.Bytes(bytes);
    }

    private static void WritePrefixes(Writer w, IEnumerable<IPNetwork> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            w.Byte((byte)prefix.PrefixLength).Bytes(prefix.BaseAddress.GetAddressBytes().AsSpan(0, (prefix.PrefixLength + 7) / 8));
        }
    }

    /// <summary>The address with the bits past the prefix length cleared (a peer may send stray bits; routes are compared masked).</summary>
    public static IPAddress Masked(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static string Name(byte code) => code switch
    {
        PathAttributes.OriginCode => "ORIGIN",
        PathAttributes.AsPathCode => "AS_PATH",
        PathAttributes.NextHopCode => "NEXT_HOP",
        PathAttributes.MedCode => "MULTI_EXIT_DISC",
        PathAttributes.LocalPrefCode => "LOCAL_PREF",
        PathAttributes.CommunitiesCode => "COMMUNITIES",
        PathAttributes.LargeCommunitiesCode => "LARGE_COMMUNITY",
        _ => $"attribute {code}",
    };

    private static void Expect(ReadOnlySpan<byte> value, int length)
    {
        if (value.Length != length)
        {
            throw new BgpProtocolException(BgpError.UpdateMessage, BgpError.AttributeLengthError, $"length {value.Length}, expected {length}");
        }
    }

    private static BgpProtocolException Bad(string message) => new(BgpError.UpdateMessage, BgpError.MalformedAttributeList, message);

    public static bool IsV4(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
}

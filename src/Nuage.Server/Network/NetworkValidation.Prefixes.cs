using System.Globalization;
using System.Net;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;
using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Server.Network;

internal static partial class NetworkValidation
{
    // Space no upstream accepts from a customer (RFC 6890 special-purpose blocks most often met).
    private static readonly IPNetwork[] SpecialPurpose =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/8"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] Documentation =
    [
        IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("2001:db8::/32"),
    ];

    public static (Announcement Prefix, List<string> Warnings) Prefix(BgpPrefixDto dto)
    {
        var errors = new List<FieldError>();
        var warnings = new List<string>();
        IPNetwork? network = null;
        var text = dto.Prefix?.Trim() ?? string.Empty;
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
        {
            text = $"{single}/{(BgpCodec.IsV4(single) ? 32 : 128)}"; // one address: a host route
        }

        // IPNetwork.TryParse clears stray host bits silently; an operator who typed them most likely meant something else.
        if (!IPNetwork.TryParse(text, out var parsed))
        {
            errors.Add(new("prefix", dto.Prefix, "use a prefix such as 192.0.2.0/24 or 2001:db8::/48, or a single address"));
        }
        else if (HasHostBits(text))
        {
            errors.Add(new("prefix", dto.Prefix, $"the address has bits set past the prefix length; did you mean {parsed}?"));
        }
        else if (parsed.PrefixLength == 0)
        {
            errors.Add(new("prefix", dto.Prefix, "a default route is never announced by Nuage; use the prefix you hold"));
        }
        else
        {
            network = parsed;
            var v4 = BgpCodec.IsV4(parsed.BaseAddress);
            if (parsed.PrefixLength > (v4 ? 24 : 48) && parsed.PrefixLength < (v4 ? 32 : 128))
            {
                warnings.Add($"{parsed} is longer than /{(v4 ? 24 : 48)}: most networks filter such prefixes on the public Internet (fine towards your own upstream).");
            }

            if (SpecialPurpose.Where(s => Covers(s, parsed)).Select(s => (IPNetwork?)s).FirstOrDefault() is { } special)
            {
                warnings.Add($"{parsed} is in special-purpose space {special} (RFC 6890): public peers will reject it.");
            }
            else if (Documentation.Any(d => Covers(d, parsed)))
            {
                warnings.Add($"{parsed} is documentation space (RFC 5737/3849): only for tests.");
            }
        }

        var communities = new List<uint>();
        foreach (var value in dto.Communities ?? [])
        {
            var parts = value.Split(':');
            if (parts.Length == 2 && ushort.TryParse(parts[0], CultureInfo.InvariantCulture, out var high) && ushort.TryParse(parts[1], CultureInfo.InvariantCulture, out var low))
            {
                communities.Add(((uint)high << 16) | low);
            }
            else
            {
                errors.Add(new("communities", value, "use ASN:VALUE with both parts from 0 to 65535, e.g. 65001:42"));
            }
        }

        var large = new List<LargeCommunity>();
        foreach (var value in dto.LargeCommunities ?? [])
        {
            var parts = value.Split(':');
            if (parts.Length == 3 && uint.TryParse(parts[0], CultureInfo.InvariantCulture, out var g) && uint.TryParse(parts[1], CultureInfo.InvariantCulture, out var l1) && uint.TryParse(parts[2], CultureInfo.InvariantCulture, out var l2))
            {
                large.Add(new LargeCommunity(g, l1, l2));
            }
            else
            {
                errors.Add(new("largeCommunities", value, "use ASN:VALUE:VALUE with three parts from 0 to 4294967295, e.g. 4200000001:7:9"));
            }
        }

        NuageException.ThrowIfInvalid(ErrorCodes.InvalidInput, errors);
        return (new Announcement(network!.Value) { Communities = communities, LargeCommunities = large }, warnings);
    }

    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily && outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);

    private static bool HasHostBits(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IPAddress.TryParse(text[..slash], out var address) && int.TryParse(text[(slash + 1)..], CultureInfo.InvariantCulture, out var bits)
            && bits >= 0 && bits <= (BgpCodec.IsV4(address) ? 32 : 128) && !BgpCodec.Masked(address, bits).Equals(address);
    }
}

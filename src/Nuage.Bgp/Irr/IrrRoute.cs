using System.Net;

namespace Nuage.Bgp.Irr;

/// <summary>
/// One registered route: an RPSL <c>route:</c>/<c>route6:</c> object (exact prefix, one origin AS) or a bgpq4 prefix-list
/// entry (a prefix and, when not exact, the range of lengths allowed; its origin is any AS of the set it was built from
/// unless the operator names one).
/// </summary>
public sealed record IrrRoute(IPNetwork Prefix, uint? Origin, string Source)
{
    /// <summary>The shortest length allowed (the prefix's own when null).</summary>
    public int? MinLength { get; init; }

    /// <summary>The longest length allowed (the prefix's own when null: an exact entry).</summary>
    public int? MaxLength { get; init; }

    public bool Covers(IPNetwork prefix)
    {
        if (prefix.BaseAddress.AddressFamily != Prefix.BaseAddress.AddressFamily)
        {
            return false;
        }

        var min = MinLength ?? Prefix.PrefixLength;
        var max = MaxLength ?? Prefix.PrefixLength;
        return prefix.PrefixLength >= min && prefix.PrefixLength <= max && Prefix.Contains(prefix.BaseAddress) && prefix.PrefixLength >= Prefix.PrefixLength;
    }

    public override string ToString()
    {
        var range = MinLength is null && MaxLength is null ? "" : $" ({MinLength ?? Prefix.PrefixLength}-{MaxLength ?? Prefix.PrefixLength})";
        return $"{Prefix}{range} origin {(Origin is { } asn ? "AS" + asn : "any AS of the set")} [{Source}]";
    }
}

/// <summary>What <see cref="IrrRegistry.Check"/> found: registered with the matching object, or not and why.</summary>
public sealed record IrrCheckResult(bool Registered, IrrRoute? Match, string Explanation);

/// <summary>A route-object file that cannot be read: the message names the file, the line and what is accepted.</summary>
public sealed class IrrFormatException(string file, int line, string problem)
    : Exception($"{file} line {line}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Problem { get; } = problem;
}

/// <summary>The route objects an operator supplied (RPSL files, bgpq4 exports), checked before a prefix is announced.</summary>
public sealed class IrrRegistry(IEnumerable<IrrRoute> routes)
{
    public IReadOnlyList<IrrRoute> Routes { get; } = [.. routes];

    /// <summary>
    /// Whether a route object registers <paramref name="prefix"/> originated by <paramref name="originAs"/>: same
    /// prefix (or within a bgpq4 entry's length range) and the same origin (or an entry valid for any AS of its set).
    /// </summary>
    public IrrCheckResult Check(IPNetwork prefix, uint originAs)
    {
        var covering = Routes.Where(r => r.Covers(prefix)).ToList();
        var match = covering.FirstOrDefault(r => r.Origin == originAs) ?? covering.FirstOrDefault(r => r.Origin is null);
        if (match is not null)
        {
            return new IrrCheckResult(true, match, $"registered: {match}");
        }

        return covering.Count > 0
            ? new IrrCheckResult(false, null, $"not registered for AS{originAs}: {prefix} is registered with {string.Join(", ", covering.Select(r => r.Origin is { } o ? "AS" + o : "any AS").Distinct())} only")
            : new IrrCheckResult(false, null, $"not registered: no route object for {prefix}");
    }

    /// <summary>"AS65001", "as65001" or "65001" as an AS number, or null.</summary>
    internal static uint? ParseAsn(string text)
    {
        var digits = text.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return uint.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asn) ? asn : null;
    }

    /// <summary>A prefix in CIDR form without host bits ("192.0.2.0/24", "2001:db8::/32"), or null.</summary>
    internal static IPNetwork? ParsePrefix(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text[..slash], out var address) && address.Equals(network.BaseAddress)
            ? network
            : null;
    }
}

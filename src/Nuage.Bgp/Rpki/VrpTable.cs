using System.Net;

namespace Nuage.Bgp.Rpki;

/// <summary>The route origin validation states of RFC 6811 §2.</summary>
public enum OriginValidation
{
    /// <summary>No VRP covers the prefix.</summary>
    NotFound,

    /// <summary>A covering VRP has the origin AS and a max length at least the prefix's length.</summary>
    Valid,

    /// <summary>VRPs cover the prefix but none matches (another origin, or the prefix is more specific than allowed).</summary>
    Invalid,
}

/// <summary>What <see cref="VrpTable.Validate"/> found: the state and the VRPs that cover the prefix (the matching ones first).</summary>
public sealed record OriginValidationResult(OriginValidation State, IReadOnlyList<Vrp> Matching, IReadOnlyList<Vrp> Covering);

/// <summary>
/// An immutable set of VRPs indexed by (family, prefix length, network) so a validation looks up each shorter prefix of
/// the route once (at most 33 or 129 dictionary look-ups) whatever the table's size.
/// </summary>
public sealed class VrpTable
{
    private readonly Dictionary<IPNetwork, Vrp[]> _byPrefix;

    public VrpTable(IEnumerable<Vrp> vrps)
    {
        _byPrefix = vrps.Distinct().GroupBy(v => v.Prefix).ToDictionary(g => g.Key, g => g.ToArray());
        Count = _byPrefix.Values.Sum(v => v.Length);
    }

    public static VrpTable Empty { get; } = new([]);

    public int Count { get; }

    public IEnumerable<Vrp> All => _byPrefix.Values.SelectMany(v => v);

    /// <summary>
    /// RFC 6811 origin validation of a route for <paramref name="prefix"/> originated by <paramref name="originAs"/>.
    /// A VRP for AS0 covers but never matches (RFC 6483 §4), so it makes a route Invalid, as its issuer intends.
    /// </summary>
    public OriginValidationResult Validate(IPNetwork prefix, uint originAs)
    {
        var address = prefix.BaseAddress.GetAddressBytes();
        var covering = new List<Vrp>();
        for (var length = 0; length <= prefix.PrefixLength; length++)
        {
            if (_byPrefix.TryGetValue(new IPNetwork(RtrCodec.Mask(address, length), length), out var vrps))
            {
                covering.AddRange(vrps);
            }
        }

        var matching = covering.Where(v => v.Asn != 0 && v.Asn == originAs && prefix.PrefixLength <= v.MaxLength).ToList();
        var state = matching.Count > 0 ? OriginValidation.Valid : covering.Count > 0 ? OriginValidation.Invalid : OriginValidation.NotFound;
        return new OriginValidationResult(state, matching, covering);
    }
}

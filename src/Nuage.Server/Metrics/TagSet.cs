namespace Nuage.Server.Metrics;

/// <summary>
/// The identity of one series: a measurement's tags sorted by name. Up to three tags are held inline, so the lookup a
/// measurement does on the request path allocates nothing (the router records four measurements per request); more
/// tags are copied to an array. Values compare with <see cref="object.Equals(object?, object?)"/>.
/// </summary>
internal readonly struct TagSet : IEquatable<TagSet>
{
    private const int Inline = 3;
    private readonly KeyValuePair<string, object?> _t0;
    private readonly KeyValuePair<string, object?> _t1;
    private readonly KeyValuePair<string, object?> _t2;
    private readonly KeyValuePair<string, object?>[]? _more;
    private readonly int _count;

    public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        if (tags.Length > Inline)
        {
            _more = tags.ToArray();
            Array.Sort(_more, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            return;
        }

        Span<KeyValuePair<string, object?>> sorted = [default, default, default];
        tags.CopyTo(sorted);
        for (var i = 1; i < tags.Length; i++)
        {
            for (var j = i; j > 0 && string.CompareOrdinal(sorted[j - 1].Key, sorted[j].Key) > 0; j--)
            {
                (sorted[j - 1], sorted[j]) = (sorted[j], sorted[j - 1]);
            }
        }

        (_t0, _t1, _t2) = (sorted[0], sorted[1], sorted[2]);
    }

    public int Count => _count;

    public KeyValuePair<string, object?> this[int index] => _more is { } more ? more[index] : index switch
    {
        0 => _t0,
        1 => _t1,
        _ => _t2,
    };

    public bool Equals(TagSet other)
    {
        if (_count != other._count)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            var (a, b) = (this[i], other[i]);
            if (!string.Equals(a.Key, b.Key, StringComparison.Ordinal) || !Equals(a.Value, b.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _count; i++)
        {
            var tag = this[i];
            hash.Add(tag.Key, StringComparer.Ordinal);
            hash.Add(tag.Value);
        }

        return hash.ToHashCode();
    }
}

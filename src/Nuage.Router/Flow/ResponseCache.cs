using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Nuage.Router.Flow;

/// <summary>
/// An app's opt-in shared response cache (<c>nuage flow cache</c>), in memory, least recently used entries evicted beyond
/// the size cap. Follows RFC 9111 for a shared cache, conservatively: only 200 answers to GET without Authorization (and,
/// for a protected app, without cookies) are stored, and only when the app says how long they are fresh (<c>s-maxage</c>,
/// else <c>max-age</c>; no heuristic freshness); never with <c>no-store</c>, <c>private</c>, <c>no-cache</c>,
/// <c>Set-Cookie</c> or <c>Vary: *</c>. <c>Vary</c>-named request headers are part of the key. A client's matching
/// <c>If-None-Match</c> gets 304 from a fresh entry. A stale entry with an <c>ETag</c> or <c>Last-Modified</c> is revalidated
/// with a conditional request (a 304 refreshes and serves it), one without validators is fetched again in full. The cache
/// is emptied when the route is published again (deploy, flow change, purge).
/// </summary>
internal sealed partial class ResponseCache(long capacity, TimeProvider time)
{
    public const long MinSizeBytes = 1024 * 1024;
    public const long MaxSizeBytes = 1024L * 1024 * 1024;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<CachedResponse>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _varyByBase = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedResponse> _lru = new();
    private long _size;

    /// <summary>Largest single response kept (a quarter of the cap, at most 8 MiB).</summary>
    public long MaxEntryBytes { get; } = Math.Min(capacity / 4, 8 * 1024 * 1024);

    public long Size { get { lock (_lock) { return _size; } } }

    public int Count { get { lock (_lock) { return _entries.Count; } } }

    /// <summary>Whether this request may be answered from or stored in the cache at all.</summary>
    public static bool IsCacheableRequest(HttpRequest request, bool protectedApp) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Headers.ContainsKey("Authorization")
        && !(protectedApp && request.Headers.ContainsKey("Cookie"))
        && request.ContentLength is null or 0;

    /// <summary>The entry for this request (fresh or stale), or null.</summary>
    public CachedResponse? Find(HttpRequest request)
    {
        var baseKey = BaseKey(request);
        lock (_lock)
        {
            if (!_varyByBase.TryGetValue(baseKey, out var vary) || !_entries.TryGetValue(Key(baseKey, vary, request), out var node))
            {
                return null;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            return node.Value;
        }
    }

    public bool IsFresh(CachedResponse entry) => time.GetUtcNow() < entry.StoredAt + entry.Lifetime;

    public TimeSpan AgeOf(CachedResponse entry) => time.GetUtcNow() - entry.StoredAt;

    /// <summary>The freshness lifetime the response allows a shared cache, or null when it must not be stored.</summary>
    public static TimeSpan? Lifetime(HttpResponse response) =>
        response.StatusCode == StatusCodes.Status200OK ? Freshness(response.Headers) : null;

    /// <summary>The freshness lifetime these response headers allow a shared cache, or null when it must not be stored.</summary>
    private static TimeSpan? Freshness(IHeaderDictionary headers)
    {
        if (headers.ContainsKey("Set-Cookie"))
        {
            return null;
        }

        if (headers.Vary.Any(v => v is not null && v.Contains('*', StringComparison.Ordinal)))
        {
            return null;
        }

        TimeSpan? maxAge = null, sharedMaxAge = null;
        foreach (var value in headers.CacheControl)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, argument) = part.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                    ? (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim().Trim('"'))
                    : (part.ToLowerInvariant(), "");
                switch (name)
                {
                    case "no-store" or "private" or "no-cache":
                        return null;
                    case "max-age" when long.TryParse(argument, out var seconds) && seconds > 0:
                        maxAge = TimeSpan.FromSeconds(Math.Min(seconds, 365L * 24 * 3600));
                        break;
                    case "s-maxage" when long.TryParse(argument, out var seconds):
                        sharedMaxAge = TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 365L * 24 * 3600));
                        break;
                }
            }
        }

        var lifetime = sharedMaxAge ?? maxAge;
        return lifetime is { } l && l > TimeSpan.Zero ? l : null;
    }

    /// <summary>Stores (or replaces) the answer to <paramref name="request"/>, evicting the least recently used beyond the cap.</summary>
    public void Store(HttpRequest request, HttpResponse response, byte[] body, TimeSpan lifetime)
    {
        var vary = response.Headers.Vary.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(v => v.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var headers = response.Headers
            .Where(h => !IsHopByHop(h.Key))
            .Select(h => new KeyValuePair<string, StringValues>(h.Key, h.Value)).ToArray();
        var baseKey = BaseKey(request);
        var entry = new CachedResponse(Key(baseKey, vary, request), headers, body, time.GetUtcNow(), lifetime, response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null);
        if (entry.Bytes > MaxEntryBytes)
        {
            return;
        }

        lock (_lock)
        {
            if (_varyByBase.TryGetValue(baseKey, out var former) && !former.SequenceEqual(vary))
            {
                RemoveWhere(e => e.Key.StartsWith(baseKey + "\n", StringComparison.Ordinal)); // the app changed what it varies on
            }

            _varyByBase[baseKey] = vary;
            if (_entries.Remove(entry.Key, out var old))
            {
                _lru.Remove(old);
                _size -= old.Value.Bytes;
            }

            _entries[entry.Key] = _lru.AddFirst(entry);
            _size += entry.Bytes;
            while (_size > capacity && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _entries.Remove(last.Value.Key);
                _size -= last.Value.Bytes;
            }
        }
    }

    private void RemoveWhere(Func<CachedResponse, bool> predicate)
    {
        foreach (var node in _entries.Values.Where(n => predicate(n.Value)).ToList())
        {
            _lru.Remove(node);
            _entries.Remove(node.Value.Key);
            _size -= node.Value.Bytes;
        }
    }

    private static string BaseKey(HttpRequest request) => $"{request.Host.Value?.ToLowerInvariant()}{request.Path}{request.QueryString}";

    private static string Key(string baseKey, string[] vary, HttpRequest request) =>
        vary.Length == 0 ? baseKey + "\n" : baseKey + "\n" + string.Join('\n', vary.Select(v => v + ":" + request.Headers[v].ToString()));

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Age", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Cache", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Date", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One stored answer: headers and body as the app sent them, when, for how long it is fresh.</summary>
internal sealed record CachedResponse(string Key, KeyValuePair<string, StringValues>[] Headers, byte[] Body, DateTimeOffset StoredAt, TimeSpan Lifetime, string? ETag)
{
    /// <summary>The stored <c>Last-Modified</c>, the other validator a stale entry is revalidated with.</summary>
    public string? LastModified => Headers.FirstOrDefault(h => h.Key.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase)).Value.ToString() is { Length: > 0 } value ? value : null;

    public bool HasValidator => ETag is not null || LastModified is not null;

    public long Bytes => Body.Length + Key.Length + Headers.Sum(h => h.Key.Length + h.Value.ToString().Length) + 64;
}

using Nuage.Core.Errors;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>
/// The trusted issuers with their key sets and validators, and the HTTP client that talks to them. Issuers come from
/// the server's flags (fixed for the process) and from <c>nuage auth provider add</c> (added and removed at run time);
/// readers see whole snapshots, swapped under a lock by <see cref="Put"/> and <see cref="Remove"/>.
/// </summary>
internal sealed class OidcIssuers : IDisposable
{
    /// <summary>Where an issuer comes from: the <c>--oidc-issuer</c> flags, or <c>nuage auth provider add</c> (the state store).</summary>
    public const string FromFlags = "flags";
    public const string FromStore = "store";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<OidcKeySet> _retired = [];
    private volatile IReadOnlyList<Entry> _entries;

    public OidcIssuers(IReadOnlyList<OidcIssuer> issuers, TimeProvider time)
    {
        _time = time;
        _entries = [.. issuers.Select(i => NewEntry(i, FromFlags))];
    }

    public HttpClient Http => _http;

    /// <summary>Every trusted issuer: the flags' in their order, then the added ones in the order they were added.</summary>
    public IReadOnlyList<Entry> All => _entries;

    /// <summary>The issuer with this URL, or the only one when none is given.</summary>
    public Entry Find(string? url)
    {
        var entries = _entries;
        if (entries.Count == 0)
        {
            throw NuageException.NotFound(ErrorCodes.OidcNotConfigured,
                $"This server has no OpenID Connect issuer; the operator starts it with {OidcOptions.IssuerFlag} URL {OidcOptions.ClientIdFlag} ID, or adds one with 'nuage auth provider add URL --client-id ID'.");
        }

        if (string.IsNullOrEmpty(url))
        {
            return entries.Count == 1 ? entries[0]
                : throw NuageException.Invalid(ErrorCodes.InvalidInput,
                    [new FieldError("issuer", null, "this server trusts several issuers; name one: " + string.Join(", ", entries.Select(e => e.Issuer.Issuer)))]);
        }

        return TryFind(url)
            ?? throw NuageException.NotFound(ErrorCodes.OidcNotConfigured,
                $"\"{url}\" is not an issuer this server trusts; trusted: {string.Join(", ", entries.Select(e => e.Issuer.Issuer))}.");
    }

    public Entry? TryFind(string url) => _entries.FirstOrDefault(e => Same(e.Issuer.Issuer, url));

    /// <summary>Trusts <paramref name="issuer"/> from now on (replacing an added one with the same URL; a flag's is never replaced).</summary>
    public void Put(OidcIssuer issuer)
    {
        lock (_gate)
        {
            var existing = _entries.FirstOrDefault(e => Same(e.Issuer.Issuer, issuer.Issuer));
            if (existing?.Source == FromFlags)
            {
                throw new InvalidOperationException($"{issuer.Issuer} is configured by the server's flags");
            }

            if (existing is not null)
            {
                _retired.Add(existing.Keys); // a sign-in in flight may still use it; disposed with the server
            }

            _entries = [.. _entries.Where(e => e != existing), NewEntry(issuer, FromStore)];
        }
    }

    /// <summary>Stops trusting an added issuer; false when none has this URL.</summary>
    public bool Remove(string url)
    {
        lock (_gate)
        {
            var existing = _entries.FirstOrDefault(e => e.Source == FromStore && Same(e.Issuer.Issuer, url));
            if (existing is null)
            {
                return false;
            }

            _retired.Add(existing.Keys);
            _entries = [.. _entries.Where(e => e != existing)];
            return true;
        }
    }

    public static bool Same(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var keys in _entries.Select(e => e.Keys).Concat(_retired))
        {
            keys.Dispose();
        }

        _http.Dispose();
    }

    private Entry NewEntry(OidcIssuer issuer, string source)
    {
        var keys = new OidcKeySet(issuer.JwksUri, _http, _time);
        return new Entry(issuer, keys, new IdTokenValidator(issuer.Issuer, issuer.ClientId, issuer.JwksUri, keys, _time), source);
    }

    internal sealed record Entry(OidcIssuer Issuer, OidcKeySet Keys, IdTokenValidator Validator, string Source);
}

using Nuage.Core.Errors;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>The discovered issuers with their key sets and validators, and the HTTP client that talks to them.</summary>
internal sealed class OidcIssuers : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly List<Entry> _entries;

    public OidcIssuers(IReadOnlyList<OidcIssuer> issuers, TimeProvider time)
    {
        _entries = [.. issuers.Select(i =>
        {
            var keys = new OidcKeySet(i.JwksUri, _http, time);
            return new Entry(i, keys, new IdTokenValidator(i.Issuer, i.ClientId, i.JwksUri, keys, time));
        })];
    }

    public HttpClient Http => _http;

    /// <summary>Every trusted issuer, in configuration order.</summary>
    public IReadOnlyList<Entry> All => _entries;

    /// <summary>The issuer with this URL, or the only one when none is given.</summary>
    public Entry Find(string? url)
    {
        if (_entries.Count == 0)
        {
            throw NuageException.NotFound(ErrorCodes.OidcNotConfigured,
                $"This server has no OpenID Connect issuer; the operator starts it with {OidcOptions.IssuerFlag} URL {OidcOptions.ClientIdFlag} ID.");
        }

        if (string.IsNullOrEmpty(url))
        {
            return _entries.Count == 1 ? _entries[0]
                : throw NuageException.Invalid(ErrorCodes.InvalidInput,
                    [new FieldError("issuer", null, "this server trusts several issuers; name one: " + string.Join(", ", _entries.Select(e => e.Issuer.Issuer)))]);
        }

        return _entries.FirstOrDefault(e => e.Issuer.Issuer.TrimEnd('/') == url.TrimEnd('/'))
            ?? throw NuageException.NotFound(ErrorCodes.OidcNotConfigured,
                $"\"{url}\" is not an issuer this server trusts; trusted: {string.Join(", ", _entries.Select(e => e.Issuer.Issuer))}.");
    }

    public void Dispose()
    {
        foreach (var entry in _entries)
        {
            entry.Keys.Dispose();
        }

        _http.Dispose();
    }

    internal sealed record Entry(OidcIssuer Issuer, OidcKeySet Keys, IdTokenValidator Validator);
}

using System.Collections.Concurrent;
using Nuage.Core.Oidc;

namespace Nuage.Router.Flow;

/// <summary>
/// The issuers protected apps sign in at: discovery (<c>{issuer}/.well-known/openid-configuration</c>), key set and ID-token
/// validator, kept per issuer and client across route publishes. A failed discovery is not kept: the next sign-in tries again.
/// </summary>
internal sealed class OidcIssuerCache(HttpClient http, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Issuer, string ClientId), Lazy<Task<OidcIssuerEntry>>> _entries = new();

    public HttpClient Http => http;

    /// <summary>The issuer's endpoints and validator; throws <see cref="OidcIssuerException"/> naming the URL when it cannot be discovered.</summary>
    public async Task<OidcIssuerEntry> GetAsync(string issuer, string clientId, CancellationToken cancellationToken)
    {
        var key = (issuer.TrimEnd('/'), clientId);
        var lazy = _entries.GetOrAdd(key, k => new Lazy<Task<OidcIssuerEntry>>(() => DiscoverAsync(k.Issuer, k.ClientId)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (OidcIssuerException)
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Lazy<Task<OidcIssuerEntry>>>(key, lazy));
            throw;
        }
    }

    private async Task<OidcIssuerEntry> DiscoverAsync(string issuer, string clientId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        OidcDiscoveryDocument document;
        try
        {
            document = await OidcDiscoveryDocument.FetchAsync(http, issuer, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new OidcIssuerException($"{issuer}{OidcDiscoveryDocument.WellKnownPath} did not answer in time");
        }

        using var owned = document;
        var jwks = document.Uri("jwks_uri");
        var keys = new OidcKeySet(jwks, http, time);
        return new OidcIssuerEntry(document.Uri("authorization_endpoint"), document.Uri("token_endpoint"), new IdTokenValidator(document.Issuer, clientId, jwks, keys, time));
    }
}

internal sealed record OidcIssuerEntry(Uri AuthorizationEndpoint, Uri TokenEndpoint, IdTokenValidator Validator);

using Microsoft.IdentityModel.Tokens;

namespace Nuage.Core.Oidc;

/// <summary>
/// An issuer's signing keys (its JWKS), fetched at first use and kept. A token naming a key id the set lacks means the
/// issuer rotated its keys: the set is fetched again, at most once per <see cref="MinRefetchInterval"/> so forged
/// tokens with random key ids cannot turn the server into a load generator against the issuer.
/// </summary>
public sealed class OidcKeySet(Uri jwksUri, HttpClient http, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonWebKeySet? _keys;
    private DateTimeOffset _lastRefetch = DateTimeOffset.MinValue;

    /// <summary>The keys, refetched first when <paramref name="kid"/> is not among them (and the rate limit allows).</summary>
    public async Task<IReadOnlyList<SecurityKey>> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keys is null)
            {
                _keys = await FetchAsync(cancellationToken);
            }
            else if (!string.IsNullOrEmpty(kid) && !Contains(_keys, kid) && time.GetUtcNow() - _lastRefetch >= MinRefetchInterval)
            {
                _lastRefetch = time.GetUtcNow();
                _keys = await FetchAsync(cancellationToken);
            }

            return [.. _keys.GetSigningKeys()];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static bool Contains(JsonWebKeySet keys, string kid) => keys.Keys.Any(k => k.Kid == kid);

    private async Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var json = await http.GetStringAsync(jwksUri, cancellationToken);
            return new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OidcIssuerException($"the issuer's key set at {jwksUri} could not be read: {e.Message}");
        }
    }
}

/// <summary>The issuer could not be reached or answered something unusable (the message says which URL and why).</summary>
public sealed class OidcIssuerException(string message) : Exception(message);

/// <summary>An ID token was refused; the message names the check that failed.</summary>
public sealed class OidcTokenException(string message) : Exception(message);

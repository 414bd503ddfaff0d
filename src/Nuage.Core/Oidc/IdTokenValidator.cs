using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Nuage.Core.Oidc;

/// <summary>
/// Validates an OpenID Connect ID token (Core 1.0 §3.1.3.7) for one issuer and client: the signature with the issuer's
/// JWKS (RS256/384/512, PS256/384/512, ES256/384/512; never "none" or an HMAC), <c>iss</c>, <c>aud</c> containing the
/// client id (and <c>azp</c> equal to it when present or when there are several audiences), <c>exp</c>, <c>nbf</c> and
/// <c>iat</c> with <see cref="ClockSkew"/> of tolerance, and the <c>nonce</c> that was sent: a token carrying another
/// nonce is always refused; one carrying none is refused when <c>requireNonce</c> is set (authorization-code flows, where
/// the token travels through the browser). The device flow sends a nonce but does not require it back: RFC 8628 does not
/// define one (oidc-provider, for one, does not echo it) and its ID token comes straight from the token endpoint in
/// answer to our own device code, so there is no front channel to inject a replayed token through. Signature and issuer are
/// checked by Microsoft.IdentityModel.JsonWebTokens; the claim checks are ours, so each refusal names what failed.
/// Shared by the server's sign-in and the router's app protection (<c>nuage protect oidc</c>).
/// </summary>
public sealed class IdTokenValidator(string issuer, string clientId, Uri jwksUri, OidcKeySet keys, TimeProvider time)
{
    /// <summary>Tolerated difference between our clock and the issuer's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public static IReadOnlyList<string> Algorithms { get; } =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<JsonWebToken> ValidateAsync(string idToken, string? expectedNonce, bool requireNonce, CancellationToken cancellationToken)
    {
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            throw new OidcTokenException("the ID token is not a well-formed JWT");
        }

        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            throw new OidcTokenException($"ID token algorithm '{token.Alg}' is not accepted; accepted: {string.Join(", ", Algorithms)}");
        }

        var signingKeys = await keys.GetAsync(token.Kid, cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateIssuer = true,
            ValidateAudience = false, // checked below, with a message naming the audience
            ValidateLifetime = false, // checked below against the injected clock
            RequireSignedTokens = true,
            RequireExpirationTime = false,
            ValidAlgorithms = Algorithms,
            IssuerSigningKeys = signingKeys,
        });
        if (!result.IsValid)
        {
            throw new OidcTokenException(Describe(result.Exception, token));
        }

        CheckAudience(token);
        CheckTimes(token);
        CheckNonce(token, expectedNonce, requireNonce);

        return token;
    }

    private static void CheckNonce(JsonWebToken token, string? expected, bool required)
    {
        var present = token.TryGetPayloadValue<string>("nonce", out var nonce);
        if (present && nonce != expected)
        {
            throw new OidcTokenException("ID token nonce does not match the one sent with this sign-in (a replayed or substituted token)");
        }

        if (!present && required)
        {
            throw new OidcTokenException("ID token carries no nonce although this sign-in sent one (a replayed or substituted token)");
        }
    }

    private void CheckAudience(JsonWebToken token)
    {
        var audiences = token.Audiences.ToList();
        if (!audiences.Contains(clientId, StringComparer.Ordinal))
        {
            throw new OidcTokenException($"ID token audience '{string.Join(" ", audiences)}' does not include client id '{clientId}'");
        }

        var hasAzp = token.TryGetPayloadValue<string>("azp", out var azp);
        if ((hasAzp || audiences.Count > 1) && azp != clientId)
        {
            throw new OidcTokenException($"ID token authorized party (azp) '{azp}' is not client id '{clientId}'");
        }
    }

    private void CheckTimes(JsonWebToken token)
    {
        var now = time.GetUtcNow();
        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            throw new OidcTokenException("ID token has no expiry (exp)");
        }

        if (FromUnix(exp) + ClockSkew <= now)
        {
            throw new OidcTokenException($"ID token expired at {FromUnix(exp):u} (now {now:u}, {ClockSkew.TotalSeconds:0} s of clock skew allowed)");
        }

        if (token.TryGetPayloadValue<long>("nbf", out var nbf) && FromUnix(nbf) - ClockSkew > now)
        {
            throw new OidcTokenException($"ID token is not valid before {FromUnix(nbf):u} (now {now:u})");
        }

        if (!token.TryGetPayloadValue<long>("iat", out var iat))
        {
            throw new OidcTokenException("ID token has no issue time (iat)");
        }

        if (FromUnix(iat) - ClockSkew > now)
        {
            throw new OidcTokenException($"ID token was issued in the future ({FromUnix(iat):u}, now {now:u})");
        }
    }

    private string Describe(Exception? error, JsonWebToken token) => error switch
    {
        SecurityTokenInvalidIssuerException => $"ID token issuer '{token.Issuer}' is not '{issuer}'",
        SecurityTokenInvalidAlgorithmException => $"ID token algorithm '{token.Alg}' is not accepted",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            $"ID token signature does not verify with the issuer's keys (kid '{token.Kid}', {jwksUri})",
        _ => "ID token refused: " + (error?.GetType().Name ?? "unknown reason"),
    };

    private static DateTimeOffset FromUnix(long seconds) => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799L));
}

using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Security;

/// <summary>Turns a presented bearer secret into a <see cref="Caller"/>, or refuses with the reason.</summary>
public sealed class TokenAuthenticator(IStateStore store, TimeProvider time)
{
    public async Task<Caller> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw NuageException.Unauthorized("A bearer token is required: send 'Authorization: Bearer <token>' (see 'nuage login').");
        }

        return await AuthenticateHashAsync(TokenSecrets.Hash(secret), cancellationToken);
    }

    /// <summary>The same checks from the stored hash (a console session keeps the hash, never the secret).</summary>
    public async Task<Caller> AuthenticateHashAsync(string hash, CancellationToken cancellationToken)
    {
        var token = await store.Tokens.FindByHashAsync(hash, cancellationToken)
            ?? throw NuageException.Unauthorized("The token is not known to this server.");
        if (token.RevokedAt is { } revoked)
        {
            throw NuageException.Unauthorized($"Token {token.Id} was revoked at {revoked:u}.");
        }

        if (token.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            throw NuageException.Unauthorized($"Token {token.Id} expired at {expires:u}; create a new one with 'nuage tokens create'.");
        }

        return new Caller(token.Id, token.Role, token.Description);
    }
}

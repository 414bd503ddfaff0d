using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;
using Nuage.Core.State;

namespace Nuage.Server.Security;

/// <summary>
/// Turns a presented bearer secret into a <see cref="Caller"/>, or refuses with the reason. A personal token acts with
/// the lower of its own role and its owner's current role in the organisation, so demoting or removing a member takes
/// effect on their existing tokens at once.
/// </summary>
public sealed class TokenAuthenticator(IStateStore store, TimeProvider time)
{
    /// <summary>The request header naming the organisation to act in (what 'nuage org use' sets).</summary>
    public const string OrgHeader = "X-Nuage-Org";

    public async Task<Caller> AuthenticateAsync(string? secret, CancellationToken cancellationToken) =>
        await AuthenticateAsync(secret, null, cancellationToken);

    public async Task<Caller> AuthenticateAsync(string? secret, string? orgName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw NuageException.Unauthorized("A bearer token is required: send 'Authorization: Bearer <token>' (see 'nuage login').");
        }

        return await AuthenticateHashAsync(TokenSecrets.Hash(secret), orgName, cancellationToken);
    }

    /// <summary>The same checks from the stored hash (a console session keeps the hash, never the secret).</summary>
    public async Task<Caller> AuthenticateHashAsync(string hash, CancellationToken cancellationToken) =>
        await AuthenticateHashAsync(hash, null, cancellationToken);

    public async Task<Caller> AuthenticateHashAsync(string hash, string? orgName, CancellationToken cancellationToken)
    {
        var token = await store.Tokens.FindByHashAsync(hash, cancellationToken)
            ?? throw NuageException.Unauthorized("The token is not known to this server.");
        if (token.RevokedAt is { } revoked)
        {
            throw NuageException.Unauthorized($"Token {token.Id} was revoked at {revoked:u}.");
        }

        var now = time.GetUtcNow();
        if (token.ExpiresAt is { } expires && expires <= now)
        {
            throw NuageException.Unauthorized($"Token {token.Id} expired at {expires:u}; create a new one with 'nuage tokens create'.");
        }

        var role = token.Role;
        string? email = null;
        if (token is { UserId: { } userId, OrgId: { } orgId })
        {
            var member = await store.Orgs.FindMemberAsync(orgId, userId, cancellationToken)
                ?? throw NuageException.Unauthorized($"Token {token.Id} belongs to a user who is no longer a member of its organisation.");
            role = Roles.Min(role, member.Role);
            email = member.Email;
        }

        await store.Tokens.TouchAsync(token.Id, now, cancellationToken);
        var caller = new Caller(token.Id, role, token.Description)
        {
            OrgId = token.OrgId,
            UserId = token.UserId,
            UserEmail = email,
            IsOperator = token.IsOperator,
        };
        return string.IsNullOrEmpty(orgName) ? caller : await NarrowAsync(caller, orgName, cancellationToken);
    }

    /// <summary>The caller acting in the named organisation: the operator may pick any; a member token only its own.</summary>
    private async Task<Caller> NarrowAsync(Caller caller, string orgName, CancellationToken cancellationToken)
    {
        var org = OrgNames.IsValid(orgName) ? await store.Orgs.FindByNameAsync(orgName, cancellationToken) : null;
        if (org is null || !caller.CanSee(org.Id))
        {
            throw NuageException.NotFound(ErrorCodes.OrgNotFound, $"No organisation named \"{orgName}\" is visible to this token ({OrgHeader} header; 'nuage org list' shows yours).");
        }

        return caller with { OrgId = org.Id, Activity = new CallerActivity() };
    }
}

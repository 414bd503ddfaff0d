using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;
using Nuage.Core.State;
using Nuage.Server.Orgs;
using Nuage.Server.Security;

namespace Nuage.Server.Tokens;

/// <summary>
/// API tokens. A personal token belongs to a member and acts in one organisation with a role no higher than the
/// member's (re-checked at every use). Anyone makes tokens for themselves; an organisation's admins also make them for
/// its members and automation tokens (no owner) for it; only the operator makes operator tokens. Secrets are shown
/// once, at creation, and stored hashed.
/// </summary>
internal sealed class TokenService(IStateStore store, OrgService orgs, TimeProvider time)
{
    public const int MaxDescriptionLength = 200;

    public async Task<CreatedTokenDto> CreateAsync(Caller caller, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!Roles.TryParse(request.Role, out var role))
        {
            errors.Add(new FieldError("role", request.Role, $"\"{request.Role}\" is not a role; use one of: {Roles.Accepted}"));
        }

        var description = request.Description?.Trim() ?? string.Empty;
        if (description.Length > MaxDescriptionLength)
        {
            errors.Add(new FieldError("description", description[..40] + "…", $"at most {MaxDescriptionLength} characters are accepted"));
        }

        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors.Add(new FieldError("expiresAt", expires.ToString("O"), "the expiry must be in the future"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidTokenRequest, errors);
        }

        var secret = TokenSecrets.NewSecret();
        var token = new StoredToken(TokenSecrets.NewId(), TokenSecrets.Hash(secret), role, description, now, request.ExpiresAt, null);
        if (request.Operator == true)
        {
            caller.RequireOperator("Creating operator tokens");
            token = token with { Role = Role.Admin, IsOperator = true };
        }
        else
        {
            token = await ScopeAsync(caller, request, token, cancellationToken);
        }

        await store.Tokens.CreateAsync(token, cancellationToken);
        return new CreatedTokenDto(await ToDtoAsync(token, cancellationToken), secret);
    }

    /// <summary>Own tokens for everyone; every token of the organisation for its admins; all of them for the operator.</summary>
    public async Task<IReadOnlyList<TokenDto>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing tokens");
        var visible = (await store.Tokens.ListAsync(cancellationToken)).Where(t => CanManage(caller, t) || IsOwn(caller, t));
        var result = new List<TokenDto>();
        foreach (var token in visible)
        {
            result.Add(await ToDtoAsync(token, cancellationToken));
        }

        return result;
    }

    public async Task RevokeAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var token = await store.Tokens.FindByIdAsync(id, cancellationToken);
        if (token is null || !(CanManage(caller, token) || IsOwn(caller, token)))
        {
            throw NuageException.NotFound(ErrorCodes.TokenNotFound, $"No token has the id \"{id}\"; 'nuage tokens list' shows them.");
        }

        caller.Activity.OrgId = token.OrgId;
        await store.Tokens.RevokeAsync(id, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>The organisation, owner and role ceiling of a non-operator token.</summary>
    private async Task<StoredToken> ScopeAsync(Caller caller, CreateTokenRequest request, StoredToken token, CancellationToken cancellationToken)
    {
        var orgId = request.Org is { } name ? (await orgs.FindAsync(caller, name, cancellationToken)).Id : caller.OrgId ?? OrgNames.DefaultId;
        caller.Activity.OrgId = orgId;
        string? userId = null;
        var ceiling = caller.IsOperator ? Role.Admin : caller.Role;
        if (request.User is { } email)
        {
            var user = Emails.IsValid(email) ? await store.Orgs.FindUserByEmailAsync(Emails.Normalize(email), cancellationToken) : null;
            var member = user is null ? null : await store.Orgs.FindMemberAsync(orgId, user.Id, cancellationToken);
            if (member is null)
            {
                throw NuageException.NotFound(ErrorCodes.MemberNotFound, $"The organisation has no member {email}; add them with 'nuage org members add'.");
            }

            userId = member.UserId;
            ceiling = Roles.Min(ceiling, member.Role);
        }
        else if (caller.UserId is not null && caller.OrgId == orgId)
        {
            userId = caller.UserId; // a member's own personal token
        }

        if (userId != caller.UserId || userId is null)
        {
            caller.Require(Role.Admin, "Creating tokens for other members or automation");
        }

        if (token.Role > ceiling)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidTokenRequest,
                [new FieldError("role", Roles.Name(token.Role), $"a token's role cannot exceed its owner's (or your) role: at most {Roles.Name(ceiling)}")]);
        }

        return token with { OrgId = orgId, UserId = userId };
    }

    private static bool CanManage(Caller caller, StoredToken token) =>
        caller.IsOperator ? caller.OrgId is null || caller.OrgId == token.OrgId : token.OrgId == caller.OrgId && caller.Role == Role.Admin;

    private static bool IsOwn(Caller caller, StoredToken token) =>
        caller.UserId is not null && token.UserId == caller.UserId && token.OrgId == caller.OrgId;

    private async Task<TokenDto> ToDtoAsync(StoredToken token, CancellationToken cancellationToken) =>
        new(token.Id, Roles.Name(token.Role), token.Description, token.CreatedAt, token.ExpiresAt, token.RevokedAt)
        {
            Org = token.OrgId is null ? null : (await store.Orgs.FindByIdAsync(token.OrgId, cancellationToken))?.Name,
            User = token.UserId is null ? null : (await store.Orgs.FindUserByIdAsync(token.UserId, cancellationToken))?.Email,
            Operator = token.IsOperator,
            LastUsedAt = token.LastUsedAt,
        };
}

using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Security;

namespace Nuage.Server.Tokens;

/// <summary>API tokens: only admins manage them; secrets are shown once, at creation.</summary>
internal sealed class TokenService(IStateStore store, TimeProvider time)
{
    public const int MaxDescriptionLength = 200;

    public async Task<CreatedTokenDto> CreateAsync(Caller caller, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Admin, "Creating tokens");
        var errors = new List<FieldError>();
        Role role = default;
        if (request.Role is null || !Enum.TryParse(request.Role, ignoreCase: true, out role) || !Enum.IsDefined(role) || int.TryParse(request.Role, out _))
        {
            errors.Add(new FieldError("role", request.Role, $"\"{request.Role}\" is not a role; use one of: viewer, developer, admin"));
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
        await store.Tokens.CreateAsync(token, cancellationToken);
        return new CreatedTokenDto(ToDto(token), secret);
    }

    public async Task<IReadOnlyList<TokenDto>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.Require(Role.Admin, "Listing tokens");
        return [.. (await store.Tokens.ListAsync(cancellationToken)).Select(ToDto)];
    }

    public async Task RevokeAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.Require(Role.Admin, "Revoking tokens");
        if (!await store.Tokens.RevokeAsync(id, time.GetUtcNow(), cancellationToken))
        {
            throw NuageException.NotFound(ErrorCodes.TokenNotFound, $"No token has the id \"{id}\"; 'nuage tokens list' shows them.");
        }
    }

    private static TokenDto ToDto(StoredToken token) => new(
        token.Id, token.Role.ToString().ToLowerInvariant(), token.Description, token.CreatedAt, token.ExpiresAt, token.RevokedAt);
}

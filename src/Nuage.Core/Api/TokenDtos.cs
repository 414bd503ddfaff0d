namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/tokens</c>.</summary>
public sealed record CreateTokenRequest
{
    public string? Role { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record TokenDto(
    string Id,
    string Role,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>The only time a token's secret is shown.</summary>
public sealed record CreatedTokenDto(TokenDto Token, string Secret);

public sealed record WhoAmIDto(string TokenId, string Role, string Description);

namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/tokens</c>.</summary>
public sealed record CreateTokenRequest
{
    public string? Role { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The organisation the token acts in (default: the caller's).</summary>
    public string? Org { get; init; }

    /// <summary>The member who owns the token (default: the caller, when the caller is a user).</summary>
    public string? User { get; init; }

    /// <summary>A platform operator token (operator only).</summary>
    public bool? Operator { get; init; }
}

public sealed record TokenDto(
    string Id,
    string Role,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    public string? Org { get; init; }

    public string? User { get; init; }

    public bool Operator { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>The only time a token's secret is shown.</summary>
public sealed record CreatedTokenDto(TokenDto Token, string Secret);

public sealed record WhoAmIDto(string TokenId, string Role, string Description)
{
    public string? Org { get; init; }

    public string? User { get; init; }

    public bool Operator { get; init; }
}

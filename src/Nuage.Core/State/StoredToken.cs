using Nuage.Core.Auth;

namespace Nuage.Core.State;

/// <summary>An API token as stored: only the SHA-256 hash of its secret is kept.</summary>
public sealed record StoredToken(
    string Id,
    string SecretHash,
    Role Role,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>The organisation the token acts in; null for the platform operator.</summary>
    public string? OrgId { get; init; }

    /// <summary>The owner of a personal token; null for automation tokens.</summary>
    public string? UserId { get; init; }

    /// <summary>The platform operator (the bootstrap admin token): every organisation.</summary>
    public bool IsOperator { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

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
    DateTimeOffset? RevokedAt);

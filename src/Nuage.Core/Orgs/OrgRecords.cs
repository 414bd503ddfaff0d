using Nuage.Core.Auth;

namespace Nuage.Core.Orgs;

/// <summary>An organisation: it owns apps (and their add-ons, domains, drains) and tokens.</summary>
public sealed record OrgRecord(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A person known by email; signs in with a personal token or through an OpenID Connect issuer.</summary>
public sealed record UserRecord(string Id, string Email, DateTimeOffset CreatedAt);

/// <summary>A user's role in one organisation.</summary>
public sealed record MemberRecord(string OrgId, string UserId, string Email, Role Role, DateTimeOffset AddedAt);

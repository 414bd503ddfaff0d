namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/orgs</c>.</summary>
public sealed record CreateOrgRequest
{
    public string? Name { get; init; }
}

public sealed record OrgDto(string Id, string Name, DateTimeOffset CreatedAt)
{
    /// <summary>The caller's role in it (null for the platform operator).</summary>
    public string? Role { get; init; }
}

/// <summary>Body of <c>POST /v1/orgs/{org}/members</c> and <c>PUT /v1/orgs/{org}/members/{email}</c>.</summary>
public sealed record MemberRequest
{
    public string? Email { get; init; }

    public string? Role { get; init; }
}

public sealed record MemberDto(string Email, string Role, DateTimeOffset AddedAt);

/// <summary>What deleting an organisation removed (or, refused, would remove).</summary>
public sealed record OrgDeletionDto(string Name, IReadOnlyList<string> Apps, IReadOnlyList<string> Addons);

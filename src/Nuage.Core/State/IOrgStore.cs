using Nuage.Core.Auth;
using Nuage.Core.Orgs;

namespace Nuage.Core.State;

/// <summary>Organisations, users and memberships.</summary>
public interface IOrgStore
{
    /// <summary>Inserts the organisation; false when the name is taken.</summary>
    Task<bool> TryCreateAsync(OrgRecord org, CancellationToken cancellationToken);

    Task<OrgRecord?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<OrgRecord?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every organisation (userId null) or those the user is a member of; by name.</summary>
    Task<IReadOnlyList<OrgRecord>> ListAsync(string? userId, CancellationToken cancellationToken);

    /// <summary>Deletes the organisation, its memberships and its tokens. The caller deletes its apps first.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>The user with this email, created when absent.</summary>
    Task<UserRecord> EnsureUserAsync(string email, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserRecord?> FindUserByIdAsync(string id, CancellationToken cancellationToken);

    Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<MemberRecord>> ListMembersAsync(string orgId, CancellationToken cancellationToken);

    Task<MemberRecord?> FindMemberAsync(string orgId, string userId, CancellationToken cancellationToken);

    /// <summary>Adds the member or changes their role.</summary>
    Task SetMemberAsync(string orgId, string userId, Role role, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the membership and revokes the user's tokens in that organisation; false when absent.</summary>
    Task<bool> RemoveMemberAsync(string orgId, string userId, DateTimeOffset now, CancellationToken cancellationToken);
}

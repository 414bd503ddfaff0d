using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;

namespace Nuage.Server.Orgs;

internal sealed partial class OrgService
{
    public async Task<IReadOnlyList<MemberDto>> ListMembersAsync(Caller caller, string orgName, CancellationToken cancellationToken)
    {
        var org = await FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Viewer, "Listing members");
        return [.. (await store.Orgs.ListMembersAsync(org.Id, cancellationToken)).Select(ToDto)];
    }

    /// <summary>Adds a member (creating the user by email when new). A manager may add roles up to manager.</summary>
    public async Task<MemberDto> AddMemberAsync(Caller caller, string orgName, MemberRequest? request, CancellationToken cancellationToken)
    {
        var org = await FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Manager, "Adding members");
        var (email, role) = Validate(request?.Email, request?.Role);
        CheckGrant(caller, role);
        await _members.WaitAsync(cancellationToken);
        try
        {
            var user = await store.Orgs.EnsureUserAsync(email, time.GetUtcNow(), cancellationToken);
            if (await store.Orgs.FindMemberAsync(org.Id, user.Id, cancellationToken) is { } existing)
            {
                throw NuageException.Conflict(ErrorCodes.MemberExists,
                    $"{email} is already a member of \"{org.Name}\" ({Roles.Name(existing.Role)}); use 'nuage org members set-role'.");
            }

            await store.Orgs.SetMemberAsync(org.Id, user.Id, role, time.GetUtcNow(), cancellationToken);
            return ToDto((await store.Orgs.FindMemberAsync(org.Id, user.Id, cancellationToken))!);
        }
        finally
        {
            _members.Release();
        }
    }

    public async Task<MemberDto> SetRoleAsync(Caller caller, string orgName, string email, MemberRequest? request, CancellationToken cancellationToken)
    {
        var org = await FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Manager, "Changing members' roles");
        var (normalized, role) = Validate(email, request?.Role);
        CheckGrant(caller, role);
        await _members.WaitAsync(cancellationToken);
        try
        {
            var member = await FindMemberAsync(org, normalized, cancellationToken);
            CheckTouch(caller, member);
            if (member.Role == Role.Admin && role != Role.Admin)
            {
                await RefuseLastAdminAsync(org, member, "demote", cancellationToken);
            }

            await store.Orgs.SetMemberAsync(org.Id, member.UserId, role, time.GetUtcNow(), cancellationToken);
            return ToDto(member with { Role = role });
        }
        finally
        {
            _members.Release();
        }
    }

    /// <summary>Removes the member and revokes their tokens in this organisation.</summary>
    public async Task RemoveMemberAsync(Caller caller, string orgName, string email, CancellationToken cancellationToken)
    {
        var org = await FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Manager, "Removing members");
        await _members.WaitAsync(cancellationToken);
        try
        {
            var member = await FindMemberAsync(org, Emails.Normalize(email), cancellationToken);
            CheckTouch(caller, member);
            if (member.Role == Role.Admin)
            {
                await RefuseLastAdminAsync(org, member, "remove", cancellationToken);
            }

            await store.Orgs.RemoveMemberAsync(org.Id, member.UserId, time.GetUtcNow(), cancellationToken);
        }
        finally
        {
            _members.Release();
        }
    }

    private static (string Email, Role Role) Validate(string? email, string? role)
    {
        var errors = new List<FieldError>();
        if (!Emails.IsValid(email?.Trim()))
        {
            errors.Add(new FieldError("email", email, "give the member's email address (name@domain)"));
        }

        if (!Roles.TryParse(role, out var parsed))
        {
            errors.Add(new FieldError("role", role, $"\"{role}\" is not a role; use one of: {Roles.Accepted}"));
        }

        return errors.Count > 0 ? throw NuageException.Invalid(ErrorCodes.InvalidMember, errors) : (Emails.Normalize(email!), parsed);
    }

    /// <summary>Nobody grants more than they hold; managers never grant admin.</summary>
    private static void CheckGrant(Caller caller, Role role)
    {
        if (!caller.IsOperator && (role > caller.Role || (caller.Role == Role.Manager && role == Role.Admin)))
        {
            throw NuageException.Forbidden($"Granting the {Roles.Name(role)} role needs the admin role; this token is {Roles.Name(caller.Role)}.");
        }
    }

    /// <summary>Managers manage members below admin only.</summary>
    private static void CheckTouch(Caller caller, MemberRecord member)
    {
        if (!caller.IsOperator && caller.Role < Role.Admin && member.Role == Role.Admin)
        {
            throw NuageException.Forbidden($"Changing an admin ({member.Email}) needs the admin role; this token is {Roles.Name(caller.Role)}.");
        }
    }

    private async Task<MemberRecord> FindMemberAsync(OrgRecord org, string email, CancellationToken cancellationToken)
    {
        var user = await store.Orgs.FindUserByEmailAsync(email, cancellationToken);
        return (user is null ? null : await store.Orgs.FindMemberAsync(org.Id, user.Id, cancellationToken))
            ?? throw NuageException.NotFound(ErrorCodes.MemberNotFound, $"\"{org.Name}\" has no member {email}; 'nuage org members list' shows them.");
    }

    private async Task RefuseLastAdminAsync(OrgRecord org, MemberRecord member, string verb, CancellationToken cancellationToken)
    {
        var admins = (await store.Orgs.ListMembersAsync(org.Id, cancellationToken)).Count(m => m.Role == Role.Admin);
        if (admins <= 1)
        {
            throw NuageException.Conflict(ErrorCodes.LastAdmin,
                $"Cannot {verb} {member.Email}: they are the last admin of \"{org.Name}\". Make another member admin first.");
        }
    }

    private static MemberDto ToDto(MemberRecord member) => new(member.Email, Roles.Name(member.Role), member.AddedAt);
}

using Microsoft.Extensions.Logging;
using Nuage.Core.Auth;
using Nuage.Core.Orgs;
using Nuage.Core.State;

namespace Nuage.Server.Oidc;

/// <summary>
/// Group → role mapping, applied at every sign-in and every refresh. A mapping adds a membership or raises a role, and
/// remembers that it did (<see cref="OidcGrantRecord"/>). When the user no longer has the group, what the mapping gave
/// is taken back: a membership it created is removed (which revokes the user's tokens in that organisation), a role
/// it raised returns to the hand-set one. A membership an admin set by hand and no mapping touched is never changed,
/// and a granted membership an admin has since changed by hand is left to the admin.
/// </summary>
internal sealed partial class OidcSessions
{
    private async Task ReconcileGroupsAsync(OidcIssuer issuer, UserRecord user, HashSet<string> groups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mappings = issuer.GroupRoles ?? options.GroupRoles;
        var wanted = mappings.Where(m => groups.Contains(m.Group))
            .GroupBy(m => m.Org, StringComparer.Ordinal)
            .Select(g => (Org: g.Key, Role: g.Max(m => m.Role)));
        var grants = (await store.Oidc.ListGrantsAsync(user.Id, cancellationToken)).ToDictionary(g => g.OrgId, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (orgName, role) in wanted)
        {
            var org = await store.Orgs.FindByNameAsync(orgName, cancellationToken);
            if (org is null)
            {
                LogMappedOrgMissing(logger, orgName, user.Email);
                continue;
            }

            kept.Add(org.Id);
            var member = await store.Orgs.FindMemberAsync(org.Id, user.Id, cancellationToken);
            grants.TryGetValue(org.Id, out var grant);
            if (member is null)
            {
                await store.Orgs.SetMemberAsync(org.Id, user.Id, role, now, cancellationToken);
                await store.Oidc.SetGrantAsync(new OidcGrantRecord(org.Id, user.Id, role, null), cancellationToken);
            }
            else if (grant is not null && member.Role == grant.Role && role != grant.Role)
            {
                // The mapped role changed (e.g. the user moved from the admins group to the developers group).
                var next = grant.PreviousRole is { } previous && previous > role ? previous : role;
                await store.Orgs.SetMemberAsync(org.Id, user.Id, next, now, cancellationToken);
                await store.Oidc.SetGrantAsync(grant with { Role = next }, cancellationToken);
            }
            else if (member.Role < role)
            {
                await store.Orgs.SetMemberAsync(org.Id, user.Id, role, now, cancellationToken);
                await store.Oidc.SetGrantAsync(new OidcGrantRecord(org.Id, user.Id, role, grant?.PreviousRole ?? member.Role), cancellationToken);
            }
        }

        foreach (var grant in grants.Values.Where(g => !kept.Contains(g.OrgId)))
        {
            await store.Oidc.DeleteGrantAsync(grant.OrgId, user.Id, cancellationToken);
            var member = await store.Orgs.FindMemberAsync(grant.OrgId, user.Id, cancellationToken);
            if (member is null || member.Role != grant.Role)
            {
                continue; // gone already, or changed by hand since: the admin's decision stands
            }

            if (grant.PreviousRole is { } previous)
            {
                await store.Orgs.SetMemberAsync(grant.OrgId, user.Id, previous, now, cancellationToken);
            }
            else
            {
                await store.Orgs.RemoveMemberAsync(grant.OrgId, user.Id, now, cancellationToken);
            }

            LogGrantWithdrawn(logger, user.Email, grant.OrgId, grant.PreviousRole is { } kept2 ? Roles.Name(kept2) : "none");
            if (member.Role == Role.Admin && !(await store.Orgs.ListMembersAsync(grant.OrgId, cancellationToken)).Any(m => m.Role == Role.Admin))
            {
                // The issuer is the source of truth for what its groups granted: a user it no longer makes admin does not
                // stay admin to keep the "last admin" rule. The operator (who sees every organisation) adds an admin.
                LogOrgWithoutAdmin(logger, grant.OrgId, user.Email);
            }
        }
    }

    [LoggerMessage(EventId = 2811, Level = LogLevel.Warning, Message = "Organisation {OrgId} has no admin left: {Email} lost the group that made them its admin; the platform operator adds one with 'nuage org members add EMAIL --role admin --org NAME'")]
    private static partial void LogOrgWithoutAdmin(ILogger logger, string orgId, string email);

    [LoggerMessage(EventId = 2804, Level = LogLevel.Information, Message = "{Email} no longer has the group that made them a member of {OrgId}: the membership granted by it was withdrawn (role now {Role})")]
    private static partial void LogGrantWithdrawn(ILogger logger, string email, string orgId, string role);
}

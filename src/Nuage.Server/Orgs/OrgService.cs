using System.Security.Cryptography;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;
using Nuage.Core.State;
using Nuage.Server.Apps;

namespace Nuage.Server.Orgs;

/// <summary>
/// Organisations and their members. Who may do what: any member reads its organisation and members; a manager adds
/// and changes members below admin; an admin does everything, including deleting the organisation; the platform
/// operator sees every organisation. An organisation never loses its last admin.
/// </summary>
internal sealed partial class OrgService(IStateStore store, AppService apps, Addons.AddonService addons, TimeProvider time)
{
    // Member changes are checked (last admin) and applied under one lock so two removals cannot both pass the check.
    private readonly SemaphoreSlim _members = new(1, 1);

    public async Task<OrgDto> CreateAsync(Caller caller, CreateOrgRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsOperator && caller.UserId is null)
        {
            throw NuageException.Forbidden("Creating organisations needs a personal token (its owner becomes the admin) or the operator token.");
        }

        if (OrgNames.Check("name", request?.Name) is { } error)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOrg, [error]);
        }

        var org = new OrgRecord("org_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), request!.Name!, time.GetUtcNow());
        if (!await store.Orgs.TryCreateAsync(org, cancellationToken))
        {
            throw NuageException.Conflict(ErrorCodes.OrgExists, $"An organisation named \"{org.Name}\" already exists; pick another name.");
        }

        caller.Activity.OrgId = org.Id;
        caller.Activity.Target = org.Name;
        if (caller.UserId is { } userId)
        {
            await store.Orgs.SetMemberAsync(org.Id, userId, Role.Admin, org.CreatedAt, cancellationToken);
        }

        return ToDto(org, caller.UserId is null ? null : Role.Admin);
    }

    /// <summary>The operator sees every organisation; a user those they belong to; an automation token its own.</summary>
    public async Task<IReadOnlyList<OrgDto>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.IsOperator && caller.OrgId is null)
        {
            return [.. (await store.Orgs.ListAsync(null, cancellationToken)).Select(o => ToDto(o, null))];
        }

        if (caller.UserId is { } userId)
        {
            var result = new List<OrgDto>();
            foreach (var org in await store.Orgs.ListAsync(userId, cancellationToken))
            {
                var member = await store.Orgs.FindMemberAsync(org.Id, userId, cancellationToken);
                result.Add(ToDto(org, member?.Role));
            }

            return result;
        }

        var own = caller.OrgId is null ? null : await store.Orgs.FindByIdAsync(caller.OrgId, cancellationToken);
        return own is null ? [] : [ToDto(own, caller.IsOperator ? null : caller.Role)];
    }

    /// <summary>
    /// Deletes the organisation. One that still owns apps or add-ons is refused (naming them) unless
    /// <paramref name="confirm"/>: then its apps go first, each the way 'nuage delete' removes it, then its add-ons
    /// with their data.
    /// </summary>
    public async Task<OrgDeletionDto> DeleteAsync(Caller caller, string name, bool confirm, CancellationToken cancellationToken)
    {
        var org = await FindAsync(caller, name, cancellationToken);
        caller.Require(Role.Admin, "Deleting an organisation");
        if (org.Id == OrgNames.DefaultId)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOrg, [new FieldError("org", name, "the default organisation cannot be deleted (apps created without an organisation go there)")]);
        }

        var owned = await AppNamesAsync(org.Id, cancellationToken);
        var scoped = caller with { OrgId = org.Id };
        var ownedAddons = (await addons.ListAsync(scoped, cancellationToken)).Select(a => a.Name).ToList();
        if (owned.Count + ownedAddons.Count > 0 && !confirm)
        {
            var what = string.Join("; ", new[] { ("app(s)", owned), ("add-on(s)", ownedAddons) }.Where(p => p.Item2.Count > 0).Select(p => $"{p.Item2.Count} {p.Item1}: {string.Join(", ", p.Item2)}"));
            throw NuageException.Conflict(ErrorCodes.OrgNotEmpty,
                $"Organisation \"{org.Name}\" owns what would be deleted with it: {what}. Repeat with --yes (confirm=true) to delete them too.");
        }

        foreach (var app in owned)
        {
            await apps.DeleteAsync(scoped, app, cancellationToken);
        }

        foreach (var addon in ownedAddons)
        {
            await addons.DeleteAsync(scoped, addon, force: true, cancellationToken);
        }

        await store.Orgs.DeleteAsync(org.Id, cancellationToken);
        return new OrgDeletionDto(org.Name, owned, ownedAddons);
    }

    /// <summary>
    /// The organisation named, as the caller may see it: anything else (unknown, or another organisation) is
    /// "not found", so names do not leak.
    /// </summary>
    public async Task<OrgRecord> FindAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var org = OrgNames.IsValid(name) ? await store.Orgs.FindByNameAsync(name, cancellationToken) : null;
        // The operator names any organisation explicitly here, whichever one it currently acts in.
        if (org is null || !(caller.IsOperator || caller.OrgId == org.Id))
        {
            throw NuageException.NotFound(ErrorCodes.OrgNotFound, $"No organisation named \"{name}\" is visible to this token; 'nuage org list' shows yours.");
        }

        caller.Activity.OrgId = org.Id;
        return org;
    }

    private async Task<List<string>> AppNamesAsync(string orgId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await store.Apps.ListInOrgAsync(orgId, after, 200, cancellationToken);
            names.AddRange(page.Select(a => a.Name));
            if (page.Count < 200)
            {
                return names;
            }

            after = page[^1].Name;
        }
    }

    private static OrgDto ToDto(OrgRecord org, Role? role) => new(org.Id, org.Name, org.CreatedAt)
    {
        Role = role is { } r ? Roles.Name(r) : null,
    };
}

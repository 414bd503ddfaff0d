using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Server.Apps;
using Nuage.Server.Security;

namespace Nuage.Server.Addons;

/// <summary>
/// Add-ons (<c>nuage addon …</c>): managed PostgreSQL, MySQL (MariaDB) and Redis servers that apps link to. Every
/// method checks the caller's role itself, so the REST API and MCP tools share the rules: viewers read, developers
/// change; credentials are developer-only.
/// </summary>
internal sealed partial class AddonService(
    IStateStore store,
    AppService apps,
    AddonServers servers,
    AddonEngines engines,
    AddonFirewall firewall,
    AddonVariables variables,
    Nuage.Logs.Drains.DrainManager drains,
    Deployments.DeploymentService deployments,
    AddonMonitor monitor,
    SecretBox box,
    NuagePaths paths,
    TimeProvider time,
    ILogger<AddonService> logger)
{
    /// <summary>How long a new or restarted server may take to accept connections.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    public AddonCatalogDto Catalog(Caller caller)
    {
        caller.Require(Role.Viewer, "Listing add-on plans");
        return new AddonCatalogDto(
            [.. AddonTypes.All.Select(t => new AddonTypeDto(t.Name, t.Versions, t.Package, engines.Of(t.Name).IsInstalled))],
            [.. AddonPlans.All.Select(p => new AddonPlanDto(p.Name, p.MemoryMiB, p.MilliCpu, p.DiskMiB, p.MaxConnections))]);
    }

    public async Task<AddonDto> CreateAsync(Caller caller, CreateAddonRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Creating add-ons");
        var (name, type, plan, version) = Validate(request);
        if (request?.External is not null)
        {
            return await CreateExternalAsync(caller, name, type, plan, version, request.External, cancellationToken);
        }

        var engine = engines.Of(type.Name);
        if (!engine.IsInstalled)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.AddonPackageMissing,
                $"Add-ons of type {type.Name} need the Debian package '{type.Package}' ({type.ServerBinary} is missing): install it with 'apt-get install {type.Package}' on the server.");
        }

        var password = AddonCredentials.NewPassword();
        var id = "addon_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var record = new AddonRecord
        {
            Id = id,
            Name = name,
            Type = type.Name,
            Version = version,
            Plan = plan.Name,
            Username = type.Name == AddonTypes.Redis ? "default" : "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Database = type.Name == AddonTypes.Redis ? "0" : name.Replace('-', '_'),
            SealedPassword = box.Seal(password, AddonVariables.PasswordContext(id)),
            CreatedAt = time.GetUtcNow(),
            OrgId = caller.OrgId ?? Core.Orgs.OrgNames.DefaultId,
            BackupSchedule = AddonBackupSchedule.Parse(request?.BackupSchedule)?.Text ?? AddonBackupSchedule.DefaultText,
            BackupRetention = request?.BackupRetention ?? AddonBackupSchedule.DefaultRetention,
        };
        caller.Activity.OrgId = record.OrgId;
        if (!await store.Addons.TryCreateAsync(record, cancellationToken))
        {
            throw NuageException.Conflict(ErrorCodes.AddonExists, $"An add-on named \"{name}\" already exists; 'nuage addon list' shows it. Pick another name.");
        }

        record = (await store.Addons.FindByNameAsync(name, cancellationToken))!;
        try
        {
            await StartAndWaitAsync(record, password, cancellationToken);
        }
        catch (NuageException)
        {
            await RemoveAsync(record);
            throw;
        }

        LogCreated(logger, name, type.Name, plan.Name);
        return await DescribeAsync(record, cancellationToken);
    }

    public async Task<IReadOnlyList<AddonDto>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing add-ons");
        var list = new List<AddonDto>();
        // Listings never cross organisations: only the operator not narrowed to one sees every add-on.
        foreach (var addon in await store.Addons.ListAsync(cancellationToken))
        {
            if (!caller.CanSee(addon.OrgId))
            {
                continue;
            }

            list.Add(await DescribeAsync(addon, cancellationToken));
        }

        return list;
    }

    public async Task<AddonDto> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading add-ons");
        return await DescribeAsync(await FindAsync(caller, name, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Deletes the add-on, its server and its data. A linked add-on is refused unless <paramref name="force"/>, which
    /// unlinks every app first. Its newest backup is kept on disk for <see cref="KeptBackupDays"/> days unless <paramref name="purge"/>.
    /// </summary>
    public async Task<DeletedAddonDto> DeleteAsync(Caller caller, string name, bool force, CancellationToken cancellationToken, bool purge = false)
    {
        caller.Require(Role.Developer, "Deleting add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        var linked = await LinkedAppNamesAsync(addon.Id, cancellationToken);
        if (linked.Count > 0 && !force)
        {
            throw NuageException.Conflict(ErrorCodes.AddonLinked,
                $"Add-on \"{name}\" is linked to {string.Join(", ", linked)}; deleting it unlinks them and destroys its data. Confirm with 'nuage addon delete {name} --yes' (API: ?force=true).");
        }

        var kept = purge ? null : (await store.Addons.ListBackupsAsync(addon.Id, cancellationToken)).MaxBy(b => b.CreatedAt);
        await RemoveAsync(addon, kept);
        await firewall.SyncAsync(CancellationToken.None);
        LogDeleted(logger, name, linked.Count);
        return new DeletedAddonDto(addon.Name, linked)
        {
            KeptBackup = kept is null ? null : Path.Combine(paths.AddonBackups(addon.Id), kept.File),
            KeptBackupSha256 = kept?.Sha256,
            KeptUntil = kept is null ? null : time.GetUtcNow().AddDays(KeptBackupDays),
        };
    }

    /// <summary>Links an app: its next deploy or restart gets the add-on's variables, and its instances may reach the add-on.</summary>
    public async Task<AddonDto> LinkAsync(Caller caller, string name, LinkAddonRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Linking add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        var app = await FindAppAsync(caller, request?.App, cancellationToken);
        if (app.OrgId != addon.OrgId)
        {
            // Only the operator sees both; an add-on is reachable by its own organisation's apps only.
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, [new FieldError("app", app.Name, $"app \"{app.Name}\" belongs to another organisation than add-on \"{addon.Name}\"; link apps of the add-on's organisation")]);
        }

        var added = await store.Addons.LinkAsync(addon.Id, app.Id, time.GetUtcNow(), cancellationToken);
        await firewall.SyncAsync(cancellationToken);
        var described = await DescribeAsync(addon, cancellationToken);
        return described with { Link = await AfterLinkAsync(caller, addon, app, added, request?.Restart == true, cancellationToken) };
    }

    /// <summary>
    /// Instances get an add-on's variables when they start: a running app is restarted through the health-gated path
    /// when asked (old instances serve until the new ones pass their check), otherwise the answer says it gets them later.
    /// </summary>
    private async Task<AddonLinkDto> AfterLinkAsync(Caller caller, AddonRecord addon, AppConfig app, bool added, bool restart, CancellationToken cancellationToken)
    {
        if (!app.Running || app.CurrentDeploymentId is null)
        {
            return new AddonLinkDto(app.Name, false, false, false, $"App {app.Name} is not running; it gets {addon.Name}'s variables when it next starts or deploys.");
        }

        if (!restart)
        {
            return added
                ? new AddonLinkDto(app.Name, true, false, true,
                    $"App {app.Name}'s running instances do not have {addon.Name}'s variables yet: they get them on its next deploy or restart ('nuage restart --app {app.Name}', or link with --restart).")
                : new AddonLinkDto(app.Name, true, false, false, $"App {app.Name} was already linked to {addon.Name}; instances started since then have its variables.");
        }

        var failure = await RestartAndWaitAsync(caller, app.Name, cancellationToken);
        LogLinkRestart(logger, addon.Name, app.Name, failure ?? "succeeded");
        return failure is null
            ? new AddonLinkDto(app.Name, true, true, false, $"App {app.Name} restarted (health-gated, no downtime): its instances have {addon.Name}'s variables.")
            : new AddonLinkDto(app.Name, true, false, true,
                $"Linked, but restarting app {app.Name} failed ({failure}): its running instances keep their environment without {addon.Name}'s variables; fix the app and run 'nuage restart --app {app.Name}'.");
    }

    public async Task<AddonDto> UnlinkAsync(Caller caller, string name, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Unlinking add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        var app = await FindAppAsync(caller, appName, cancellationToken);
        if (!await store.Addons.UnlinkAsync(addon.Id, app.Id, cancellationToken))
        {
            throw NuageException.NotFound(ErrorCodes.AddonLinkNotFound, $"App \"{app.Name}\" is not linked to add-on \"{name}\".");
        }

        await firewall.SyncAsync(cancellationToken);
        return await DescribeAsync(addon, cancellationToken);
    }

    /// <summary>The variables a linked app gets, password included (developers only).</summary>
    public async Task<AddonCredentialsDto> CredentialsAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Reading add-on credentials");
        var addon = await FindAsync(caller, name, cancellationToken);
        return new AddonCredentialsDto(addon.Name, variables.Of(addon));
    }

    /// <summary>Restarts the add-on's server (same data, port and address) and waits until it accepts connections.</summary>
    public async Task<AddonDto> RestartAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Restarting add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "restarting it");
        await servers.StopAsync(addon.Id, forget: false, cancellationToken);
        await StartAndWaitAsync(addon, box.Open(addon.SealedPassword, AddonVariables.PasswordContext(addon.Id)), cancellationToken);
        return await DescribeAsync((await store.Addons.FindByNameAsync(name, cancellationToken))!, cancellationToken);
    }

    /// <summary>
    /// Finds an add-on by name as <paramref name="caller"/> may see it: another organisation's add-on gets exactly the
    /// error of an unknown name, so names are not leaked across organisations.
    /// </summary>
    public async Task<AddonRecord> FindAsync(Caller caller, string? name, CancellationToken cancellationToken)
    {
        if (!AppNames.IsValid(name))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, [new FieldError("addon", name, $"\"{name}\" is not a valid add-on name; use {AppNames.Accepted}")]);
        }

        var addon = await store.Addons.FindByNameAsync(name!, cancellationToken);
        if (addon is null || !caller.CanSee(addon.OrgId))
        {
            throw NuageException.NotFound(ErrorCodes.AddonNotFound, $"No add-on is named \"{name}\"; 'nuage addon list' lists them.");
        }

        caller.Activity.OrgId = addon.OrgId;
        return addon;
    }

    [LoggerMessage(EventId = 2651, Level = LogLevel.Information, Message = "Add-on {Addon} linked to app {App}; restart asked: {Outcome}")]
    private static partial void LogLinkRestart(ILogger logger, string addon, string app, string outcome);
}

using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// External add-ons (<c>nuage addon create NAME --type T --external URL</c>): an existing server registered so apps link
/// to it like to a managed one. Nothing is started or supervised; the URL's password is sealed like other add-on
/// passwords; restart, backups, restore, import, rotation and quotas are refused (<see cref="ErrorCodes.AddonExternal"/>).
/// </summary>
internal sealed partial class AddonService
{
    /// <summary>The request field that carries the external server's URL.</summary>
    private const string ExternalField = "external";

    private async Task<AddonDto> CreateExternalAsync(Caller caller, string name, AddonType type, AddonPlan plan, string version, string? external, CancellationToken cancellationToken)
    {
        var url = ParseExternal(external, type);
        var id = "addon_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var record = new AddonRecord
        {
            Id = id,
            Name = name,
            Type = type.Name,
            Version = version,
            Plan = plan.Name,
            Username = url.User.Length == 0 && type.Name == AddonTypes.Redis ? "default" : url.User,
            Database = url.Database,
            SealedPassword = box.Seal(url.Password, AddonVariables.PasswordContext(id)),
            CreatedAt = time.GetUtcNow(),
            OrgId = caller.OrgId ?? Core.Orgs.OrgNames.DefaultId,
            BackupSchedule = AddonBackupSchedule.Off,
            ExternalHost = url.Host,
            ExternalPort = url.Port,
        };
        caller.Activity.OrgId = record.OrgId;
        if (!await store.Addons.TryCreateAsync(record, cancellationToken))
        {
            throw NuageException.Conflict(ErrorCodes.AddonExists, $"An add-on named \"{name}\" already exists; 'nuage addon list' shows it. Pick another name.");
        }

        LogExternalCreated(logger, name, type.Name, url.Redacted);
        return await DescribeAsync((await store.Addons.FindByNameAsync(name, cancellationToken))!, cancellationToken);
    }

    /// <summary>Parses the external URL; every problem names the field "external" and never repeats the password.</summary>
    private static AddonSourceUrl ParseExternal(string? text, AddonType type)
    {
        AddonSourceUrl url;
        try
        {
            url = AddonSourceUrl.Parse(ExternalField, text);
        }
        catch (NuageException e) when (e.Code == ErrorCodes.AddonImportInvalid)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, e.Errors);
        }

        if (Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) && !uri.IsDefaultPort && uri.Port <= 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, [new FieldError(ExternalField, url.Redacted, $"has the port {uri.Port}; accepted: 1 to 65535")]);
        }

        if (url.Type != type.Name)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, [new FieldError(ExternalField, url.Redacted,
                $"is a {url.Type} URL but --type is {type.Name}; give a {type.Name} URL ({AddonSourceUrl.AcceptedSchemes})")]);
        }

        return url;
    }

    /// <summary>Refuses <paramref name="action"/> on an external add-on: Nuage does not run its server.</summary>
    private static void RefuseExternal(AddonRecord addon, string action)
    {
        if (addon.IsExternal)
        {
            throw NuageException.Conflict(ErrorCodes.AddonExternal,
                $"Add-on \"{addon.Name}\" is external ({addon.ExternalHost}:{addon.ExternalPort}): Nuage does not run its server, so {action} is done on that server itself (see docs/addons.md, \"External add-ons\").");
        }
    }

    /// <summary>Status of an external add-on: where it is and whether it answers a short connection check now.</summary>
    private async Task<AddonDto> DescribeExternalAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        var host = addon.ExternalHost!;
        var port = addon.ExternalPort ?? 0;
        var answers = await AcceptsAsync(host, port, cancellationToken) && await engines.Of(addon.Type).AnswersAsync(host, port, cancellationToken);
        return new AddonDto(addon.Name, addon.Type, addon.Version, addon.Plan, AddonStatuses.External, host, port,
            await LinkedAppNamesAsync(addon.Id, cancellationToken), addon.CreatedAt)
        {
            External = true,
            Answers = answers,
            LastError = answers ? null : $"{host}:{port} does not answer",
            BackupSchedule = addon.BackupSchedule,
            BackupRetention = addon.BackupRetention,
        };
    }

    [LoggerMessage(EventId = 2650, Level = LogLevel.Information, Message = "Add-on {Addon} registered as external {Type} server {Url}")]
    private static partial void LogExternalCreated(ILogger logger, string addon, string type, string url);
}

using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Logs.Drains;
using Nuage.Server.Addons;
using Nuage.Server.Apps;

namespace Nuage.Server.Logs;

/// <summary>Whose log a drain delivers: an app's, or an add-on's (its database server's own lines).</summary>
internal enum DrainOwner
{
    App,
    Addon,
}

/// <summary>An app's or an add-on's log drains. Viewers list; developers create, enable, disable and delete.</summary>
internal sealed class DrainService(AppService apps, AddonService addons, DrainManager drains)
{
    public async Task<DrainDto> CreateAsync(Caller caller, string appName, CreateDrainRequest request, CancellationToken cancellationToken, DrainOwner owner = DrainOwner.App)
    {
        caller.Require(Role.Developer, "Creating log drains");
        var app = await FindAsync(caller, appName, owner, cancellationToken);
        var created = await drains.CreateAsync(
            new DrainSpec
            {
                AppId = app.Id,
                AppName = app.Name,
                Type = request.Type ?? string.Empty,
                Url = request.Url ?? string.Empty,
                Username = request.Username,
                Password = request.Password,
                Token = request.Token,
                SdParams = request.SdParams,
            },
            cancellationToken);
        return ToDto(await drains.GetAsync(app.Id, created.Id, cancellationToken));
    }

    public async Task<IReadOnlyList<DrainDto>> ListAsync(Caller caller, string appName, CancellationToken cancellationToken, DrainOwner owner = DrainOwner.App)
    {
        caller.Require(Role.Viewer, "Listing log drains");
        var app = await FindAsync(caller, appName, owner, cancellationToken);
        return [.. (await drains.ListAsync(app.Id, cancellationToken)).Select(ToDto)];
    }

    public async Task<DrainDto> SetEnabledAsync(Caller caller, string appName, string drainId, bool enabled, CancellationToken cancellationToken, DrainOwner owner = DrainOwner.App)
    {
        caller.Require(Role.Developer, enabled ? "Enabling log drains" : "Disabling log drains");
        var app = await FindAsync(caller, appName, owner, cancellationToken);
        await drains.SetEnabledAsync(app.Id, drainId, enabled, cancellationToken);
        return ToDto(await drains.GetAsync(app.Id, drainId, cancellationToken));
    }

    public async Task DeleteAsync(Caller caller, string appName, string drainId, CancellationToken cancellationToken, DrainOwner owner = DrainOwner.App)
    {
        caller.Require(Role.Developer, "Deleting log drains");
        var app = await FindAsync(caller, appName, owner, cancellationToken);
        await drains.DeleteAsync(app.Id, drainId, cancellationToken);
    }

    /// <summary>An add-on's log lives under its id in the same store, so its drains are the same workers with their own cursors.</summary>
    private async Task<(string Id, string Name)> FindAsync(Caller caller, string name, DrainOwner owner, CancellationToken cancellationToken)
    {
        if (owner == DrainOwner.Addon)
        {
            var addon = await addons.FindAsync(caller, name, cancellationToken);
            return (addon.Id, addon.Name);
        }

        var app = await apps.FindAsync(caller, name, cancellationToken);
        return (app.Id, app.Name);
    }

    private static DrainDto ToDto(DrainStatus status) => new()
    {
        Id = status.Drain.Id,
        Type = status.Drain.Type,
        Url = status.Drain.Url,
        Enabled = status.Drain.Enabled,
        State = status.State,
        Username = status.Drain.Username,
        HasPassword = status.Drain.Password is not null,
        HasToken = status.Drain.Token is not null,
        SdParams = status.Drain.SdParams,
        CreatedAt = status.Drain.CreatedAt,
        Delivered = status.Delivered,
        Backlog = status.Backlog,
        Skipped = status.Skipped,
        Missed = status.Missed,
        LastError = status.LastError,
        LastErrorAt = status.LastErrorAt,
        LastDeliveryAt = status.LastDeliveryAt,
    };
}

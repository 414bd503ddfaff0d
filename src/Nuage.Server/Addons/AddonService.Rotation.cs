using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// Credential rotation with no failed request: a second credential is added on the live server, linked apps are
/// restarted through the health-gated deployment path with the new variables (old instances, still on the old
/// credential, keep serving until the new ones pass their health check and take over), then the old one is revoked.
/// </summary>
internal sealed partial class AddonService
{
    /// <summary>How long one linked app's restart may take before the rotation stops waiting (the old credential then stays valid).</summary>
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(10);

    public async Task<AddonCredentialsDto> RotateAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Rotating add-on credentials");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "rotating its password");
        var (host, port, password) = Endpoint(addon);
        var engine = engines.Of(addon.Type);
        var fresh = AddonCredentials.NewPassword();
        var user = await engine.AddCredentialAsync(addon, host, port, password, fresh, cancellationToken);
        var sealedPassword = box.Seal(fresh, AddonVariables.PasswordContext(addon.Id));
        var rotated = addon with { Username = user, SealedPassword = sealedPassword };
        await servers.RememberPasswordAsync(addon, user, sealedPassword, fresh, cancellationToken);
        LogCredentialAdded(logger, addon.Name);

        var restarted = new List<string>();
        string? warning = null;
        foreach (var app in await LinkedAppsAsync(addon.Id, cancellationToken))
        {
            if (!app.Running || app.CurrentDeploymentId is null)
            {
                continue; // gets the new variables when it is next started or deployed
            }

            var failure = await RestartAndWaitAsync(caller, app.Name, cancellationToken);
            if (failure is not null)
            {
                warning = $"app \"{app.Name}\" did not restart with the new credentials ({failure}); the old credential stays valid so it keeps working. Fix the app and run 'nuage addon credentials {addon.Name} --rotate' again.";
                LogRotationIncomplete(logger, addon.Name, app.Name, failure);
                break;
            }

            restarted.Add(app.Name);
        }

        if (warning is null)
        {
            await engine.RevokeCredentialAsync(rotated, host, port, fresh, addon.Username, password, cancellationToken);
            LogRotated(logger, addon.Name);
        }

        return new AddonCredentialsDto(addon.Name, variables.Of(rotated))
        {
            RestartedApps = restarted,
            OldCredentialRevoked = warning is null,
            Warning = warning,
        };
    }

    /// <summary>Restarts the app (a deployment of its current release) and waits for its end; null when it succeeded, else why not.</summary>
    private async Task<string?> RestartAndWaitAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        DeploymentDto deployment;
        try
        {
            deployment = await deployments.ReuseAsync(caller, appName, null, DeploymentKind.Restart, cancellationToken);
        }
        catch (NuageException e)
        {
            return e.Message;
        }

        var deadline = time.GetUtcNow() + RestartTimeout;
        while (!DeploymentStates.IsFinished(deployment.State))
        {
            if (time.GetUtcNow() > deadline)
            {
                return $"deployment {deployment.Id} still {deployment.State} after {RestartTimeout.TotalMinutes:0} minutes";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            deployment = await deployments.GetAsync(caller, appName, deployment.Id, cancellationToken);
        }

        return deployment.State == DeploymentStates.Succeeded ? null : $"deployment {deployment.Id} {deployment.State}";
    }

    private async Task<IReadOnlyList<Core.Apps.AppConfig>> LinkedAppsAsync(string addonId, CancellationToken cancellationToken)
    {
        var list = new List<Core.Apps.AppConfig>();
        foreach (var link in await store.Addons.ListLinksAsync(addonId, null, cancellationToken))
        {
            if (await store.Apps.FindByIdAsync(link.AppId, cancellationToken) is { } app)
            {
                list.Add(app);
            }
        }

        return [.. list.OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    [LoggerMessage(EventId = 2612, Level = LogLevel.Information, Message = "Add-on {Addon}: credentials rotated (linked apps restarted, old credential revoked)")]
    private static partial void LogRotated(ILogger logger, string addon);

    [LoggerMessage(EventId = 2644, Level = LogLevel.Information, Message = "Add-on {Addon}: second credential added; restarting linked apps with it")]
    private static partial void LogCredentialAdded(ILogger logger, string addon);

    [LoggerMessage(EventId = 2645, Level = LogLevel.Warning, Message = "Add-on {Addon}: rotation incomplete, app {App} did not restart ({Reason}); the old credential stays valid")]
    private static partial void LogRotationIncomplete(ILogger logger, string addon, string app, string reason);
}

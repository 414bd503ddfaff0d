using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nuage.Core.Instances;
using Nuage.Core.State;
using Nuage.Router;

namespace Nuage.Server.Instances;

internal sealed partial class AppInstances
{
    /// <summary>
    /// Before the router listens after a server start: every app gets a "restoring" route (503 with Retry-After on its
    /// hosts) until <see cref="RestoreAsync"/> publishes the real one, so an existing app never answers 404.
    /// </summary>
    public async Task PublishRestoringAsync(CancellationToken cancellationToken)
    {
        string? cursor = null;
        IReadOnlyList<Core.Apps.AppConfig> apps;
        while ((apps = await _store.Apps.ListAsync(cursor, 200, cancellationToken)).Count > 0)
        {
            lock (_publishLock)
            {
                foreach (var app in apps)
                {
                    _router.Publish(new AppRoute(app.Id, app.Name, RouteState.Restoring, app.CurrentDeploymentId, []) { CustomDomains = _domains.Of(app.Id), Flow = _flows.Of(app.Id) });
                }
            }

            cursor = apps[^1].Name;
        }
    }

    /// <summary>
    /// After a server start: re-adopt the instances that kept running while the server was down, restart the
    /// current release's instances that did not survive, forget the rest, and publish every app's route.
    /// </summary>
    public async Task RestoreAsync(Func<AppConfigLookup, Task<IReadOnlyList<string>>> healthPaths, CancellationToken cancellationToken)
    {
        var records = await _store.Instances.ListAsync(cancellationToken);
        var adoptable = new List<AdoptedInstance>();
        foreach (var record in records)
        {
            try
            {
                var spec = JsonSerializer.Deserialize<InstanceSpec>(_box.Open(Convert.FromBase64String(record.Spec), "instance:" + record.InstanceId), Json)!;
                _specs[spec.InstanceId] = spec;
                Tail(spec);
                if (record.State.Length > 0)
                {
                    adoptable.Add(new AdoptedInstance(spec, JsonSerializer.Deserialize<InstanceState>(record.State, Json)!));
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                LogUnreadable(_logger, record.InstanceId, e);
                await _store.Instances.DeleteAsync(record.InstanceId, cancellationToken);
            }
        }

        if (BeforeStart is { } beforeStart)
        {
            await beforeStart(cancellationToken); // the firewall table was just recreated: let apps reach their add-ons again
        }

        var adopted = (await _scheduler.AdoptAsync(adoptable, cancellationToken)).Where(r => r.Adopted).Select(r => r.InstanceId).ToHashSet(StringComparer.Ordinal);
        string? cursor = null;
        while (true)
        {
            var apps = await _store.Apps.ListAsync(cursor, 200, cancellationToken);
            if (apps.Count == 0)
            {
                break;
            }

            foreach (var app in apps)
            {
                var mine = _specs.Values.Where(s => s.AppId == app.Id).ToList();
                var site = app.Running ? await _staticServing.CurrentAsync(app, cancellationToken) : null;

                // A static release is served by the router: web instances an older server started for it (nuage
                // serve-static) are retired once the route serves the files, so they migrate at this restore.
                var wanted = app.Running && app.CurrentDeploymentId is not null
                    ? mine.Where(s => s.DeploymentId == app.CurrentDeploymentId && s.Kind != InstanceKind.Task && (site is null || s.Kind != InstanceKind.Web)).ToList()
                    : [];
                foreach (var spec in wanted.Where(s => !adopted.Contains(s.InstanceId)))
                {
                    try
                    {
                        await _scheduler.StartAsync(spec, cancellationToken);
                        LogRestarted(_logger, spec.InstanceId);
                    }
                    catch (Core.Errors.NuageException e)
                    {
                        LogRestartFailed(_logger, spec.InstanceId, e);
                    }
                }

                var paths = await healthPaths(new AppConfigLookup(app));
                try
                {
                    Publish(app, site is null && app.CurrentDeploymentId is { } current ? Endpoints(app.Id, current) : [], paths, site);
                }
                catch (Core.Errors.NuageException e) when (site is not null)
                {
                    LogStaticSiteUnavailable(_logger, app.Id, e);
                    Publish(app, [], paths); // 503 "no healthy instance" until the next deployment
                }

                var stale = mine.Where(s => !wanted.Contains(s)).Select(s => s.InstanceId).ToList();
                await RetireAsync(stale, drain: false, cancellationToken);
            }

            cursor = apps[^1].Name;
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Forgetting instance {InstanceId}: its saved spec cannot be read")]
    private static partial void LogUnreadable(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Restarted instance {InstanceId}, which had stopped while the server was down")]
    private static partial void LogRestarted(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "The static release of app {AppId} cannot be served")]
    private static partial void LogStaticSiteUnavailable(ILogger logger, string appId, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Could not restart instance {InstanceId}")]
    private static partial void LogRestartFailed(ILogger logger, string instanceId, Exception exception);
}

/// <summary>The app a restore step concerns (wrapper so the callback signature stays readable).</summary>
internal sealed record AppConfigLookup(Core.Apps.AppConfig App);

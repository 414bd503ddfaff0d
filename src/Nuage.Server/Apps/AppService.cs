using System.Security.Cryptography;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Server.Instances;

namespace Nuage.Server.Apps;

/// <summary>Creating, reading and deleting apps. Every method checks the caller's role itself.</summary>
internal sealed class AppService(IStateStore store, NuagePaths paths, AppUrls urls, AppInstances instances, DrainManager drains, LogStore logs, Git.GitRepositories git, TimeProvider time)
{
    public const int MaxInstances = 32;
    public const int MaxPageSize = 200;

    public async Task<AppDto> CreateAsync(Caller caller, CreateAppRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Creating apps");
        var errors = new List<FieldError>();
        if (AppNames.Check("name", request.Name) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (!Runtimes.IsKnown(request.Runtime))
        {
            errors.Add(new FieldError("runtime", request.Runtime, $"\"{request.Runtime}\" is not a runtime; use one of: {string.Join(", ", Runtimes.All)}"));
        }

        var flavor = Flavors.Find(request.Flavor ?? Flavors.Default);
        if (flavor is null)
        {
            errors.Add(new FieldError("flavor", request.Flavor, $"\"{request.Flavor}\" is not a flavor; use one of: {Flavors.Accepted}"));
        }

        var count = request.Instances ?? 1;
        if (count is < 1 or > MaxInstances)
        {
            errors.Add(new FieldError("instances", count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"use a whole number from 1 to {MaxInstances}"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidApp, errors);
        }

        var app = new AppConfig
        {
            Id = "app_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = request.Name!,
            Runtime = request.Runtime!,
            Flavor = flavor!.Name,
            Instances = count,
            CreatedAt = time.GetUtcNow(),
            OrgId = caller.OrgId ?? Core.Orgs.OrgNames.DefaultId,
        };
        caller.Activity.OrgId = app.OrgId;
        caller.Activity.Target = app.Name;
        if (!await store.Apps.TryCreateAsync(app, cancellationToken))
        {
            throw NuageException.Conflict(ErrorCodes.AppExists, $"An app named \"{app.Name}\" already exists; pick another name or use 'nuage link {app.Name}'.");
        }

        Directory.CreateDirectory(paths.Data(app.Id));
        instances.Publish(app, [], []);
        return ToDto(app);
    }

    public async Task<AppDto> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading apps");
        var app = await FindAsync(caller, name, cancellationToken);
        var last = await store.Deployments.ListAsync(app.Id, null, 1, cancellationToken);
        return ToDto(app, last.Count == 0 ? null : last[0]);
    }

    public async Task<Page<AppDto>> ListAsync(Caller caller, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing apps");
        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            throw NuageException.Invalid("limit", size.ToString(System.Globalization.CultureInfo.InvariantCulture), $"use a whole number from 1 to {MaxPageSize}");
        }

        // Listings never cross organisations: only the operator not narrowed to one sees every app.
        var apps = caller.OrgId is { } org
            ? await store.Apps.ListInOrgAsync(org, cursor, size + 1, cancellationToken)
            : await store.Apps.ListAsync(cursor, size + 1, cancellationToken);
        var shown = apps.Take(size).ToList();
        var latest = await store.Deployments.LatestAsync([.. shown.Select(a => a.Id)], cancellationToken);
        var page = shown.Select(a => ToDto(a, latest.GetValueOrDefault(a.Id))).ToList();
        return new Page<AppDto>(page, apps.Count > size ? page[^1].Name : null);
    }

    /// <summary>Deletes the app and everything it owns. Deleting an app that does not exist succeeds (idempotent).</summary>
    public async Task DeleteAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Deleting apps");
        var app = await store.Apps.FindByNameAsync(name, cancellationToken);
        if (app is null || !caller.CanSee(app.OrgId))
        {
            return; // another organisation's app is answered exactly like a missing one
        }

        caller.Activity.OrgId = app.OrgId;

        await instances.RetireAsync(instances.InstancesOf(app.Id), drain: false, CancellationToken.None);
        instances.Unpublish(app.Id);
        await drains.DeleteAppAsync(app.Id, CancellationToken.None);
        foreach (var link in await store.Addons.ListLinksAsync(null, app.Id, CancellationToken.None))
        {
            await store.Addons.UnlinkAsync(link.AddonId, app.Id, CancellationToken.None); // the add-ons stay, unlinked
        }

        await store.Apps.DeleteAsync(app.Id, CancellationToken.None);
        await logs.DeleteAppAsync(app.Id);
        git.Delete(app.Id);
        var dir = paths.App(app.Id);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Finds an app by name for any service, as <paramref name="caller"/> may see it: an app of another organisation
    /// gets exactly the error of an unknown name (names are not leaked across organisations).
    /// </summary>
    public async Task<AppConfig> FindAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        if (!AppNames.IsValid(name))
        {
            throw NuageException.Invalid("app", name, $"\"{name}\" is not a valid app name; use {AppNames.Accepted}");
        }

        var app = await store.Apps.FindByNameAsync(name, cancellationToken);
        if (app is null || !caller.CanSee(app.OrgId))
        {
            throw NuageException.NotFound(ErrorCodes.AppNotFound, $"No app is named \"{name}\"; 'nuage apps' lists them.");
        }

        caller.Activity.OrgId = app.OrgId;
        return app;
    }

    public AppDto ToDto(AppConfig app, DeploymentRecord? lastDeployment = null)
    {
        var crashing = Crashing(app);
        return new(
            app.Id,
            app.Name,
            app.Runtime,
            app.Flavor,
            app.Instances,
            crashing is not null ? "crashing" : Status(app),
            urls.For(app.Name),
            app.CurrentDeploymentId,
            app.CreatedAt)
        {
            LastExitCode = crashing?.ExitCode,
            LastDeployment = lastDeployment is { } d ? new DeploymentSummaryDto(d.Id, DeploymentStates.Name(d.State), d.CreatedAt) : null,
        };
    }

    private static string Status(AppConfig app) => app switch
    {
        { Running: false } => "stopped",
        { CurrentDeploymentId: null } => "created",
        _ => "running",
    };

    /// <summary>An instance of the serving release that is down and being restarted (or given up on), if any.</summary>
    private InstanceState? Crashing(AppConfig app) => app is { Running: true, CurrentDeploymentId: { } current }
        ? instances.States(app.Id)
            .Where(s => s.DeploymentId == current && s.Status is InstanceStatus.Crashed or InstanceStatus.CrashLooping or InstanceStatus.OomKilled)
            .OrderByDescending(s => s.ExitCode is not null)
            .FirstOrDefault()
        : null;
}

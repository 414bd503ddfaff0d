using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Variables;

namespace Nuage.Cli.Manifest;

/// <summary>
/// Compares a manifest with the live install and lists the steps, in an order that works: add-ons before the apps
/// that link them, apps before their settings, deletions (--prune) last.
/// </summary>
internal sealed partial class ApplyPlanner(ManifestConfig desired, LiveInstall live, IReadOnlyDictionary<string, string> environment, bool prune)
{
    private readonly List<PlanStep> _steps = [];
    private readonly List<ManifestError> _errors = [];
    private readonly List<string> _notes = [];

    public static ApplyPlan Plan(ManifestConfig desired, LiveInstall live, IReadOnlyDictionary<string, string> environment, bool prune)
    {
        var planner = new ApplyPlanner(desired, live, environment, prune);
        planner.PlanAddons();
        foreach (var app in desired.Apps)
        {
            planner.PlanApp(app);
        }

        planner.PlanPrune();
        return new ApplyPlan(planner._steps, planner._errors, planner._notes);
    }

    private void PlanAddons()
    {
        foreach (var addon in desired.Addons)
        {
            var path = "addons." + addon.Name;
            if (live.Addon(addon.Name) is not { } current)
            {
                _steps.Add(new(PlanActions.Create, "addon " + addon.Name, $"{addon.Type}{(addon.Version is null ? string.Empty : " " + addon.Version)}, plan {addon.Plan ?? "default"}",
                    (client, ct) => client.CreateAddonAsync(new CreateAddonRequest
                    {
                        Name = addon.Name, Type = addon.Type, Plan = addon.Plan, Version = addon.Version, BackupSchedule = addon.BackupSchedule, BackupRetention = addon.BackupRetention,
                    }, ct)));
                continue;
            }

            if ((addon.BackupSchedule is { } schedule && schedule != current.BackupSchedule) || (addon.BackupRetention is { } kept && kept != current.BackupRetention))
            {
                var request = new AddonBackupPolicyRequest { BackupSchedule = addon.BackupSchedule, BackupRetention = addon.BackupRetention };
                _steps.Add(new(PlanActions.Change, "addon " + addon.Name,
                    $"backups {addon.BackupSchedule ?? current.BackupSchedule}, keeping {addon.BackupRetention ?? current.BackupRetention}",
                    (client, ct) => client.SetAddonBackupPolicyAsync(addon.Name, request, ct)));
            }

            // The API cannot change an add-on's type, version or plan in place: say so before any change is made.
            Fixed(path + ".type", "type", current.Type, addon.Type);
            Fixed(path + ".version", "version", current.Version, addon.Version);
            Fixed(path + ".plan", "plan", current.Plan, addon.Plan);
        }

        void Fixed(string field, string name, string current, string? wanted)
        {
            if (wanted is not null && !string.Equals(current, wanted, StringComparison.OrdinalIgnoreCase))
            {
                _errors.Add(new(desired.PositionOf(field), field,
                    $"the add-on has {name} \"{current}\" and an add-on's {name} cannot change in place; write \"{current}\", or restore a backup into a new add-on ('nuage addon backup', 'nuage addon restore --into')"));
            }
        }
    }

    private void PlanApp(AppManifest app)
    {
        var target = "app " + app.Name;
        var current = live.App(app.Name);
        var variables = ResolveVariables(app, current);
        if (current is null)
        {
            _steps.Add(new(PlanActions.Create, target, $"{app.Runtime}, {app.Instances ?? 1} × {app.Flavor ?? Flavors.Default}",
                (client, ct) => client.CreateAppAsync(new CreateAppRequest { Name = app.Name, Runtime = app.Runtime, Flavor = app.Flavor, Instances = app.Instances }, ct)));
        }
        else
        {
            if (current.App.Runtime != app.Runtime)
            {
                var field = $"apps.{app.Name}.runtime";
                _errors.Add(new(desired.PositionOf(field), field,
                    $"the app runs \"{current.App.Runtime}\" and an app's runtime cannot change; write \"{current.App.Runtime}\", or delete the app first ('nuage apps delete {app.Name}')"));
            }

            var flavorChanges = app.Flavor is not null && !string.Equals(app.Flavor, current.App.Flavor, StringComparison.OrdinalIgnoreCase);
            var instancesChange = app.Instances is not null && app.Instances != current.App.Instances;
            if (flavorChanges || instancesChange)
            {
                _steps.Add(new(PlanActions.Change, target, $"{current.App.Instances} × {current.App.Flavor} → {app.Instances ?? current.App.Instances} × {app.Flavor ?? current.App.Flavor}",
                    (client, ct) => client.ScaleAsync(app.Name, new ScaleRequest { Instances = instancesChange ? app.Instances : null, Flavor = flavorChanges ? app.Flavor : null }, ct)));
            }
        }

        if (app.Autoscale is { } policy)
        {
            PlanAutoscale(app.Name, policy, current);
        }

        if (app.Manages("variables"))
        {
            PlanVariables(app, current, variables);
        }

        if (app.Manages("domains"))
        {
            PlanDomains(app, current);
        }

        if (app.Manages("drains"))
        {
            PlanDrains(app, current);
        }

        if (app.Manages("addons"))
        {
            PlanLinks(app, current);
        }
    }

    /// <summary>The file's policy is authoritative when present: set when it differs, removed with enabled = false.</summary>
    private void PlanAutoscale(string name, AutoscaleManifest policy, LiveApp? current)
    {
        var existing = current?.Autoscale is { Enabled: true } live ? LiveInstall.ToManifest(live) : null;
        if (!policy.Enabled)
        {
            if (existing is not null)
            {
                _steps.Add(new(PlanActions.Change, "app " + name, $"autoscale {existing.Describe()} → off", (client, ct) => client.DeleteAutoscaleAsync(name, ct)));
            }

            return;
        }

        if (policy != existing)
        {
            _steps.Add(new(PlanActions.Change, "app " + name, $"autoscale {existing?.Describe() ?? "off"} → {policy.Describe()}", (client, ct) => client.SetAutoscaleAsync(name, policy.Policy, ct)));
        }
    }

    private void PlanPrune()
    {
        var extraApps = live.Apps.Where(a => desired.Apps.All(d => d.Name != a.App.Name)).Select(a => a.App.Name).ToList();
        var extraAddons = live.Addons.Where(a => desired.Addons.All(d => d.Name != a.Name)).Select(a => a.Name).ToList();
        if (!prune)
        {
            if (extraApps.Count + extraAddons.Count > 0)
            {
                _notes.Add($"Not in the file, kept (add --prune to delete them): {string.Join(", ", extraApps.Select(a => "app " + a).Concat(extraAddons.Select(a => "addon " + a)))}.");
            }

            return;
        }

        foreach (var app in extraApps)
        {
            _steps.Add(new(PlanActions.Delete, "app " + app, "not in the file (--prune)", (client, ct) => client.DeleteAppAsync(app, ct)));
        }

        foreach (var addon in extraAddons)
        {
            _steps.Add(new(PlanActions.Delete, "addon " + addon, "not in the file (--prune); its data is destroyed", (client, ct) => client.DeleteAddonAsync(addon, force: true, ct)));
        }
    }
}

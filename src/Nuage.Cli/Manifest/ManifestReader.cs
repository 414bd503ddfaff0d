using Nuage.Core.Addons;
using Nuage.Core.Apps;

namespace Nuage.Cli.Manifest;

/// <summary>
/// Reads a <c>nuage.toml</c> and checks everything that does not need the server: unknown keys, types, names,
/// duplicates and references between apps and add-ons. Every error is collected, each with its line and column.
/// </summary>
internal sealed partial class ManifestReader
{
    private readonly List<ManifestError> _errors = [];
    private readonly Dictionary<string, SourcePosition> _positions = new(StringComparer.Ordinal);

    public static (ManifestConfig? Config, IReadOnlyList<ManifestError> Errors) Read(string text, string fileName)
    {
        var reader = new ManifestReader();
        var root = TomlTree.Parse(text, fileName, reader._errors);
        if (root is null)
        {
            return (null, reader._errors);
        }

        var config = reader.ReadRoot(root);
        var errors = reader._errors.OrderBy(e => e.Position.Line).ThenBy(e => e.Position.Column).ToList();
        return (errors.Count == 0 ? config : null, errors);
    }

    private ManifestConfig ReadRoot(TomlTable root)
    {
        Known(root, string.Empty, ["version", "org", "addons", "apps"]);
        if (Int(root, "version", "version") is { } version && version != ManifestConfig.CurrentVersion)
        {
            Error(root.Entries["version"], "version", $"{version} is not a format version this nuage reads; use {ManifestConfig.CurrentVersion}");
        }

        var addons = new List<AddonManifest>();
        foreach (var (name, node) in Tables(root, "addons", "addons"))
        {
            if (ReadAddon(name, node) is { } addon)
            {
                addons.Add(addon);
            }
        }

        var apps = new List<AppManifest>();
        foreach (var (name, node) in Tables(root, "apps", "apps"))
        {
            if (ReadApp(name, node, addons) is { } app)
            {
                apps.Add(app);
            }
        }

        return new ManifestConfig { Org = String(root, "org", "org"), Addons = addons, Apps = apps, Positions = _positions };
    }

    private AddonManifest? ReadAddon(string name, TomlTable table)
    {
        var path = "addons." + name;
        Known(table, path, ["type", "plan", "version", "backup_schedule", "backup_retention"]);
        NameCheck(table, path, name);
        var type = Required(table, "type", path);
        if (type is not null && AddonTypes.Find(type) is null)
        {
            Error(table.Entries["type"], path + ".type", $"\"{type}\" is not an add-on type; use one of: {AddonTypes.Accepted}");
        }

        var plan = String(table, "plan", path + ".plan");
        if (plan is not null && AddonPlans.Find(plan) is null)
        {
            Error(table.Entries["plan"], path + ".plan", $"\"{plan}\" is not a plan; use one of: {AddonPlans.Accepted}");
        }

        var version = String(table, "version", path + ".version");
        var schedule = String(table, "backup_schedule", path + ".backup_schedule");
        if (schedule is not null && AddonBackupSchedule.Parse(schedule) is null)
        {
            Error(table.Entries["backup_schedule"], path + ".backup_schedule", $"\"{schedule}\" is not a backup schedule; use one of: {AddonBackupSchedule.Accepted}");
        }

        var retention = Int(table, "backup_retention", path + ".backup_retention");
        if (retention is < 1 or > AddonBackupSchedule.MaxRetention)
        {
            Error(table.Entries["backup_retention"], path + ".backup_retention", $"{retention} is not a retention; keep 1 to {AddonBackupSchedule.MaxRetention} scheduled backups");
        }

        return type is null ? null : new AddonManifest
        {
            Name = name,
            Type = type,
            Plan = plan,
            Version = version,
            BackupSchedule = schedule is null ? null : AddonBackupSchedule.Parse(schedule)?.Text ?? schedule,
            BackupRetention = retention is >= 1 and <= AddonBackupSchedule.MaxRetention ? (int)retention : null,
        };
    }

    private AppManifest? ReadApp(string name, TomlTable table, IReadOnlyList<AddonManifest> addons)
    {
        var path = "apps." + name;
        Known(table, path, ["runtime", "flavor", "instances", "variables", "domains", "drains", "addons", "autoscale"]);
        NameCheck(table, path, name);
        var runtime = Required(table, "runtime", path);
        if (runtime is not null && !Runtimes.IsKnown(runtime))
        {
            Error(table.Entries["runtime"], path + ".runtime", $"\"{runtime}\" is not a runtime; use one of: {string.Join(", ", Runtimes.All)}");
        }

        var flavor = String(table, "flavor", path + ".flavor");
        if (flavor is not null && Flavors.Find(flavor) is null)
        {
            Error(table.Entries["flavor"], path + ".flavor", $"\"{flavor}\" is not a flavor; use one of: {Flavors.Accepted}");
        }

        var instances = Int(table, "instances", path + ".instances");
        if (instances is < 1 or > MaxInstances)
        {
            Error(table.Entries["instances"], path + ".instances", $"{instances} is out of range; use a whole number from 1 to {MaxInstances}");
        }

        var linked = Strings(table, "addons", path + ".addons");
        if (table.Entries.TryGetValue("addons", out var linkNode) && linkNode is TomlArray linkArray)
        {
            foreach (var item in linkArray.Items)
            {
                if (item is TomlScalar { Value: string addon } && !addons.Any(a => a.Name == addon))
                {
                    Error(item, path + ".addons", $"add-on \"{addon}\" is not declared in this file; add an [addons.{addon}] table (type = \"postgresql\", \"mysql\" or \"redis\")");
                }
            }
        }

        return runtime is null ? null : new AppManifest
        {
            Name = name,
            Runtime = runtime,
            Flavor = flavor,
            Instances = (int?)instances,
            Variables = ReadVariables(table, path + ".variables"),
            Domains = Strings(table, "domains", path + ".domains"),
            Drains = ReadDrains(table, path + ".drains"),
            Addons = linked,
            Autoscale = ReadAutoscale(table, path),
            Managed = table.Entries.Keys.Where(k => k is "variables" or "domains" or "drains" or "addons").ToHashSet(StringComparer.Ordinal),
        };
    }

    private const int MaxInstances = 32;
}

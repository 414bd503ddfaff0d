using System.Security.Cryptography;
using System.Text.Json;
using Nuage.Cli.Hosting;
using Nuage.Cli.Manifest;
using Nuage.Core.Addons;
using Nuage.Core.Apps;

namespace Nuage.Cli.Import;

/// <summary>
/// Reads a Heroku app: <c>app.json</c> (env, formation, addons, scripts), its <c>Procfile</c> and the output of
/// <c>heroku config</c> (<c>KEY: value</c> lines), and describes the Nuage app that replaces it.
/// </summary>
internal static partial class HerokuSource
{
    /// <summary>Heroku add-on services Nuage has a type for.</summary>
    private static readonly Dictionary<string, string> AddonServices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["heroku-postgresql"] = AddonTypes.PostgreSql,
        ["heroku-redis"] = AddonTypes.Redis,
        ["jawsdb-maria"] = AddonTypes.MySql,
        ["jawsdb"] = AddonTypes.MySql,
        ["cleardb"] = AddonTypes.MySql,
    };

    /// <summary>Variables a Heroku add-on sets; the Nuage add-on sets its own (DATABASE_URL, REDIS_URL, ...).</summary>
    private static readonly Dictionary<string, string[]> AddonVariables = new(StringComparer.Ordinal)
    {
        [AddonTypes.PostgreSql] = ["DATABASE_URL"],
        [AddonTypes.Redis] = ["REDIS_URL", "REDIS_TLS_URL"],
        [AddonTypes.MySql] = ["JAWSDB_URL", "JAWSDB_MARIA_URL", "CLEARDB_DATABASE_URL"],
    };

    /// <param name="withData">--with-addons: copy each add-on's data from the old database URL in the config (and create an add-on for such a URL app.json does not declare).</param>
    public static async Task<ImportedApp> ReadAsync(string directory, string? configFile, string? appName, string? runtimeOption, CancellationToken cancellationToken, bool withData = false)
    {
        var report = new ImportReport();
        var appJsonPath = Path.Combine(directory, "app.json");
        using var appJson = File.Exists(appJsonPath) ? ParseJson(await File.ReadAllTextAsync(appJsonPath, cancellationToken), "app.json") : null;
        var root = appJson?.RootElement;
        var name = Names.Choose(appName, root is { } r && r.TryGetProperty("name", out var n) ? n.GetString() : null, directory);
        var runtime = runtimeOption ?? RuntimeGuess.FromDirectory(directory)
            ?? throw CliException.Invalid($"--dir: no runtime marker (package.json, composer.json, requirements.txt, go.mod, Procfile) in {directory}; pass --runtime ({string.Join(", ", Runtimes.All)})");
        report.Carry($"app {name} (runtime {runtime})");

        var config = configFile is null ? [] : ParseConfig(await File.ReadAllTextAsync(configFile, cancellationToken));
        var addons = root is { } a1 ? ReadAddons(a1, name, report, withData) : [];
        var provided = addons.SelectMany(x => AddonVariables[x.Type]).ToHashSet(StringComparer.Ordinal);
        var sources = withData ? DataSources(name, config, addons, provided, report) : [];
        var variables = ReadEnv(root, config, provided, report);
        var (flavor, instances) = root is { } f ? ReadFormation(f, report) : (null, null);
        ReadProcfile(directory, report);
        if (root is { } s)
        {
            ReportIgnored(s, report);
        }

        var app = new AppManifest
        {
            Name = name,
            Runtime = runtime,
            Flavor = flavor,
            Instances = instances,
            Variables = ImportVariables.Check(runtime, variables, report),
            Addons = [.. addons.Select(x => x.Name)],
        };
        return new ImportedApp(new ManifestConfig { Apps = [app], Addons = addons }, report) { DataSources = sources };
    }

    /// <summary><c>heroku config</c> prints a <c>=== APP Config Vars</c> title, then <c>KEY:   value</c>; <c>--shell</c> prints <c>KEY=value</c>.</summary>
    public static List<KeyValuePair<string, string>> ParseConfig(string text)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("===", StringComparison.Ordinal) || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (colon > 0 && (equals < 0 || colon < equals) && ConfigName().IsMatch(line[..colon]))
            {
                variables.Add(new(line[..colon], line[(colon + 1)..].TrimStart(' ', '\t')));
            }
            else if (equals > 0 && ConfigName().IsMatch(line[..equals]))
            {
                variables.Add(new(line[..equals], CleverSource.Unquote(line[(equals + 1)..])));
            }
        }

        return variables;
    }

    /// <summary>
    /// --with-addons: each add-on's old database URL from the config; a database URL with no app.json add-on of its type
    /// gets one too. The variables used are the add-on's own from then on (never carried as plain variables).
    /// </summary>
    private static List<AddonDataSource> DataSources(string app, List<KeyValuePair<string, string>> config, List<AddonManifest> addons, HashSet<string> provided, ImportReport report)
    {
        var sources = new List<AddonDataSource>();
        foreach (var type in AddonTypes.All.Select(t => t.Name))
        {
            var found = AddonDataSources.Find(type, config);
            var addon = addons.FirstOrDefault(a => a.Type == type);
            if (addon is null && found is not null)
            {
                addon = new AddonManifest { Name = $"{app}-{type}", Type = type };
                addons.Add(addon);
                report.Carry($"{type} add-on {addon.Name}, created and linked for {found.Value.Variable} (--with-addons)");
            }

            if (addon is null)
            {
                continue;
            }

            if (found is { } source)
            {
                provided.Add(source.Variable);
                sources.Add(new AddonDataSource(addon.Name, source.Variable, source.Url));
            }
            else
            {
                report.Skip($"data of {addon.Name}", $"not copied: no {string.Join(" or ", AddonDataSources.UrlVariables[type])} with a {type} URL in the config; run 'nuage addon import {addon.Name} --from URL'");
            }
        }

        return sources;
    }

    private static List<AddonManifest> ReadAddons(JsonElement root, string app, ImportReport report, bool withData)
    {
        var addons = new List<AddonManifest>();
        if (!root.TryGetProperty("addons", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return addons;
        }

        foreach (var item in list.EnumerateArray())
        {
            var plan = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.TryGetProperty("plan", out var p) ? p.GetString() ?? string.Empty : string.Empty;
            var service = plan.Split(':')[0];
            if (!AddonServices.TryGetValue(service, out var type))
            {
                report.Skip($"add-on {plan}", "Nuage has no add-on of this kind (it offers postgresql, mysql and redis); keep the external service and its variables, or replace it");
                continue;
            }

            if (addons.Any(x => x.Type == type))
            {
                report.Skip($"add-on {plan}", $"a second {type} add-on: only the first is created and linked; create more with 'nuage addon create'");
                continue;
            }

            var name = $"{app}-{type}";
            addons.Add(new AddonManifest { Name = name, Type = type });
            report.Carry($"add-on {plan} → {type} add-on {name}, linked (plan {AddonPlans.Default}: Heroku plan names do not map; 'nuage addon plans')");
            if (!withData)
            {
                report.Skip($"data of {plan}", $"not copied: re-run with --with-addons and --config to copy it from the Heroku database, or run 'nuage addon import {name} --from URL' later");
            }
        }

        return addons;
    }

    private static List<KeyValuePair<string, string>> ReadEnv(JsonElement? root, List<KeyValuePair<string, string>> config, HashSet<string> provided, ImportReport report)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is { } r && r.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in env.EnumerateObject())
            {
                var spec = variable.Value;
                var live = config.FirstOrDefault(c => c.Key == variable.Name).Value;
                if (live is not null)
                {
                    continue; // the running app's value (heroku config) wins over app.json's default
                }

                if (spec.ValueKind == JsonValueKind.String)
                {
                    values[variable.Name] = spec.GetString()!;
                }
                else if (spec.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    values[variable.Name] = value.GetString()!;
                }
                else if (spec.TryGetProperty("generator", out var generator) && generator.GetString() == "secret")
                {
                    values[variable.Name] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                    report.Carry($"variable {variable.Name}: a new random secret (app.json generator \"secret\")");
                }
                else if (spec.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True)
                {
                    report.Skip($"variable {variable.Name}", "required by app.json but has no value here; set it with 'nuage env set " + variable.Name + " VALUE --app APP' before deploying");
                }
            }
        }

        foreach (var (name, value) in config)
        {
            values[name] = value;
        }

        var kept = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in values)
        {
            if (provided.Contains(name) || name.StartsWith("HEROKU_POSTGRESQL_", StringComparison.Ordinal) || name.StartsWith("HEROKU_REDIS_", StringComparison.Ordinal))
            {
                report.Skip($"variable {name}", "set by the Heroku add-on; the linked Nuage add-on provides its own value");
            }
            else if (name is "PORT" or "DYNO" || name.StartsWith("HEROKU_", StringComparison.Ordinal))
            {
                report.Skip($"variable {name}", "set by Heroku's platform; Nuage injects its own (PORT, INSTANCE_NUMBER, ...)");
            }
            else
            {
                kept.Add(new(name, value));
            }
        }

        return kept;
    }
}

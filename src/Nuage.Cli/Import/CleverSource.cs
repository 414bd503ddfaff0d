using System.Text;
using System.Text.Json;
using Nuage.Cli.Hosting;
using Nuage.Cli.Manifest;
using Nuage.Core.Addons;
using Nuage.Core.Apps;
using Nuage.Core.Variables;

namespace Nuage.Cli.Import;

/// <summary>
/// Reads a Clever Cloud app: <c>.clever.json</c> (its name), <c>clevercloud/*.json</c> (runtime and settings such as
/// php.json's webroot) and the output of <c>clever env</c> (<c>NAME="value"</c> lines).
/// </summary>
internal static class CleverSource
{
    /// <summary>Variable prefixes of Clever Cloud add-ons, and the Nuage add-on type that sets the same names.</summary>
    private static readonly (string Prefix, string Type)[] AddonPrefixes =
    [
        ("POSTGRESQL_ADDON_", AddonTypes.PostgreSql),
        ("MYSQL_ADDON_", AddonTypes.MySql),
        ("REDIS_", AddonTypes.Redis),
    ];

    /// <summary>clevercloud/NAME.json file names to runtimes.</summary>
    private static readonly Dictionary<string, string> RuntimeFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["php"] = Runtimes.Php,
        ["node"] = Runtimes.Node,
        ["nodejs"] = Runtimes.Node,
        ["python"] = Runtimes.Python,
        ["go"] = Runtimes.Go,
        ["static"] = Runtimes.Static,
    };

    /// <param name="withData">--with-addons: create the add-ons (as <paramref name="createAddons"/>) and copy each one's data from the old database's URL.</param>
    public static async Task<ImportedApp> ReadAsync(
        string directory, string envFile, string? appName, string? runtimeOption, bool createAddons, CancellationToken cancellationToken, bool withData = false)
    {
        createAddons |= withData;
        var report = new ImportReport();
        var name = Names.Choose(appName, await ReadCleverJsonAsync(directory, report, cancellationToken), directory);
        var settings = new List<KeyValuePair<string, string>>();
        var runtime = runtimeOption ?? await ReadCleverCloudDirectoryAsync(directory, settings, report, cancellationToken) ?? RuntimeGuess.FromDirectory(directory)
            ?? throw CliException.Invalid($"--dir: no clevercloud/*.json and no runtime marker in {directory}; pass --runtime ({string.Join(", ", Runtimes.All)})");
        report.Carry($"app {name} (runtime {runtime})");

        var variables = new List<KeyValuePair<string, string>>();
        var addonTypes = new List<string>();
        var parsed = ParseEnv(await File.ReadAllTextAsync(envFile, cancellationToken));
        foreach (var (variable, value) in parsed)
        {
            var addon = AddonPrefixes.FirstOrDefault(p => variable.StartsWith(p.Prefix, StringComparison.Ordinal));
            if (addon.Type is null)
            {
                variables.Add(new(variable, value));
                continue;
            }

            if (!addonTypes.Contains(addon.Type))
            {
                addonTypes.Add(addon.Type);
            }

            report.Skip($"variable {variable}", createAddons
                ? $"belongs to the Clever Cloud {addon.Type} add-on; the new Nuage {addon.Type} add-on sets its own"
                : $"belongs to a Clever Cloud {addon.Type} add-on; re-run with --create-addons to create and link a Nuage {addon.Type} add-on, which sets the same variable names");
        }

        var addons = new List<AddonManifest>();
        var sources = new List<AddonDataSource>();
        foreach (var type in addonTypes)
        {
            if (!createAddons)
            {
                continue;
            }

            var addonName = $"{name}-{type}";
            addons.Add(new AddonManifest { Name = addonName, Type = type });
            report.Carry($"{type} add-on {addonName}, created and linked ({(withData ? "--with-addons" : "--create-addons")})");
            var source = AddonDataSources.Find(type, parsed);
            if (!withData)
            {
                report.Skip($"data of the Clever Cloud {type} add-on",
                    $"not copied: re-run with --with-addons to copy it from the old database, or run 'nuage addon import {addonName} --from URL' later");
            }
            else if (source is { } found)
            {
                sources.Add(new AddonDataSource(addonName, found.Variable, found.Url));
            }
            else
            {
                report.Skip($"data of the Clever Cloud {type} add-on",
                    $"not copied: no {string.Join(" or ", AddonDataSources.UrlVariables[type])} with a {type} URL in the env file; run 'nuage addon import {addonName} --from URL'");
            }
        }

        // Settings from clevercloud/*.json win over the same variable in clever env only when env does not set it.
        foreach (var setting in settings.Where(s => variables.All(v => v.Key != s.Key)))
        {
            variables.Add(setting);
        }

        report.Skip("flavor, scaling and domains", "not in these files; set them with 'nuage scale' and 'nuage domain add' (the app starts as 1 × nano)");
        var app = new AppManifest
        {
            Name = name,
            Runtime = runtime,
            Variables = ImportVariables.Check(runtime, variables, report),
            Addons = [.. addons.Select(a => a.Name)],
        };
        return new ImportedApp(new ManifestConfig { Apps = [app], Addons = addons }, report) { DataSources = sources };
    }

    /// <summary>
    /// <c>clever env</c> lines: <c>NAME="value"</c> with backslash escapes (\" \\ \n), also <c>export NAME="value";</c>
    /// from <c>--add-export</c>, unquoted values, and <c>#</c> comments (clever-tools titles add-on sections with them).
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseEnv(string text)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..];
            if (value.EndsWith(';') && value.Length > 1 && value[^2] == '"')
            {
                value = value[..^1];
            }

            variables.Add(new(line[..equals].Trim(), Unquote(value)));
        }

        return variables;
    }

    internal static string Unquote(string value)
    {
        if (value.Length < 2 || (value[0] != '"' && value[0] != '\'') || value[^1] != value[0])
        {
            return value;
        }

        if (value[0] == '\'')
        {
            return value[1..^1];
        }

        var text = new StringBuilder();
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1)
            {
                i++;
                text.Append(value[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var c => c });
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    private static async Task<string?> ReadCleverJsonAsync(string directory, ImportReport report, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, ".clever.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var json = HerokuSource.ParseJson(await File.ReadAllTextAsync(path, cancellationToken), ".clever.json");
        if (!json.RootElement.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array || apps.GetArrayLength() == 0)
        {
            return null;
        }

        var first = apps[0];
        if (apps.GetArrayLength() > 1)
        {
            report.Skip($".clever.json apps after the first ({apps.GetArrayLength() - 1})", "one import makes one app; import the others with --app NAME");
        }

        return first.TryGetProperty("alias", out var alias) ? alias.GetString() : first.TryGetProperty("name", out var name) ? name.GetString() : null;
    }

    /// <summary>The runtime named by a clevercloud/RUNTIME.json, and the settings of its file that map to variables.</summary>
    private static async Task<string?> ReadCleverCloudDirectoryAsync(string directory, List<KeyValuePair<string, string>> settings, ImportReport report, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(directory, "clevercloud");
        if (!Directory.Exists(folder))
        {
            return null;
        }

        string? runtime = null;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var kind = Path.GetFileNameWithoutExtension(file);
            var shown = "clevercloud/" + Path.GetFileName(file);
            if (!RuntimeFiles.TryGetValue(kind, out var fileRuntime))
            {
                report.Skip(shown, "no Nuage runtime of that name; its settings are not read");
                continue;
            }

            runtime ??= fileRuntime;
            using var json = HerokuSource.ParseJson(await File.ReadAllTextAsync(file, cancellationToken), shown);
            foreach (var section in json.RootElement.EnumerateObject())
            {
                if (section.Name == "deploy" && section.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var key in section.Value.EnumerateObject())
                    {
                        if (key.Name == "webroot" && key.Value.ValueKind == JsonValueKind.String)
                        {
                            settings.Add(new(KnownVariables.WebRoot.Name, key.Value.GetString()!));
                            report.Carry($"{shown} deploy.webroot → {KnownVariables.WebRoot.Name}={key.Value.GetString()}");
                        }
                        else
                        {
                            report.Skip($"{shown} deploy.{key.Name}", "no Nuage setting for it; see 'nuage variables' for the CC_ variables Nuage reads");
                        }
                    }
                }
                else
                {
                    report.Skip($"{shown} {section.Name}", "no Nuage setting for it; see 'nuage variables' for the CC_ variables Nuage reads (hooks: CC_PRE_BUILD_HOOK, CC_POST_BUILD_HOOK, CC_PRE_RUN_HOOK)");
                }
            }
        }

        return runtime;
    }
}

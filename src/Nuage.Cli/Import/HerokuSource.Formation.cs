using System.Text.Json;
using System.Text.RegularExpressions;
using Nuage.Cli.Hosting;
using Nuage.Core.Apps;

namespace Nuage.Cli.Import;

internal static partial class HerokuSource
{
    /// <summary>Heroku dyno sizes to the Nuage flavor with at least as much memory (standard-1x: 512 MiB → nano).</summary>
    private static readonly Dictionary<string, string> Sizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["free"] = "nano",
        ["hobby"] = "nano",
        ["eco"] = "nano",
        ["basic"] = "nano",
        ["standard-1x"] = "nano",
        ["standard-2x"] = "XS",
        ["performance-m"] = "M",
        ["performance-l"] = "XL",
    };

    private static (string? Flavor, int? Instances) ReadFormation(JsonElement root, ImportReport report)
    {
        if (!root.TryGetProperty("formation", out var formation) || formation.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        string? flavor = null;
        int? instances = null;
        foreach (var process in formation.EnumerateObject())
        {
            var quantity = process.Value.TryGetProperty("quantity", out var q) && q.TryGetInt32(out var count) ? count : 1;
            var size = process.Value.TryGetProperty("size", out var s) ? s.GetString() : null;
            if (process.Name != "web")
            {
                report.Skip($"formation {process.Name} × {quantity}", "Nuage starts Procfile workers itself and has no per-process quantity; only the web quantity sets the instance count");
                continue;
            }

            instances = Math.Clamp(quantity, 1, 32);
            report.Carry($"formation web × {quantity} → {instances} instance(s)");
            if (size is null)
            {
                continue;
            }

            if (Sizes.TryGetValue(size, out var mapped))
            {
                flavor = mapped;
                report.Carry($"dyno size {size} → flavor {mapped}");
            }
            else
            {
                report.Skip($"dyno size {size}", $"no matching flavor; the app gets {Flavors.Default}; change it with 'nuage scale --flavor' ({Flavors.Accepted})");
            }
        }

        return (flavor, instances);
    }

    private static void ReadProcfile(string directory, ImportReport report)
    {
        var path = Path.Combine(directory, "Procfile");
        if (!File.Exists(path))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.TrimStart().StartsWith('#') || colon <= 0)
            {
                continue;
            }

            var type = line[..colon].Trim();
            report.Carry(type switch
            {
                "web" => "Procfile web: served by the app's instances (deploy the directory)",
                "release" => "Procfile release: runs before each new release starts; if it fails the running release keeps serving",
                _ => $"Procfile {type}: runs as a Nuage worker (no port)",
            });
        }
    }

    private static void ReportIgnored(JsonElement root, ImportReport report)
    {
        if (root.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object)
        {
            foreach (var script in scripts.EnumerateObject())
            {
                report.Skip($"app.json script {script.Name} ({script.Value})", script.Name == "postdeploy"
                    ? "Nuage has no one-off post-deploy script; put idempotent steps in the Procfile release: process, or run it once by hand"
                    : "not run by Nuage; use the Procfile release: process or a CC_PRE_RUN_HOOK");
            }
        }

        foreach (var key in new[] { "buildpacks", "stack", "environments", "image" })
        {
            if (root.TryGetProperty(key, out var value))
            {
                report.Skip($"app.json {key} ({value.GetRawText().Replace('\n', ' ')})", "Nuage builds from the runtime it detects; buildpacks and stacks do not apply");
            }
        }
    }

    internal static JsonDocument ParseJson(string text, string file)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw CliException.Invalid($"{file}: not valid JSON ({e.Message})");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ConfigName();
}

/// <summary>The new app's name: --app, else the source's, else the directory's, made a valid Nuage name.</summary>
internal static partial class Names
{
    public static string Choose(string? option, string? source, string directory)
    {
        if (option is not null)
        {
            return AppNames.IsValid(option) ? option : throw CliException.Invalid($"--app: \"{option}\" is not a valid app name; use {AppNames.Accepted}");
        }

        var candidate = Clean().Replace((source ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))).ToLowerInvariant(), "-").Trim('-');
        return AppNames.IsValid(candidate) ? candidate : throw CliException.Invalid($"cannot make an app name from \"{source}\"; pass --app NAME ({AppNames.Accepted})");
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex Clean();
}

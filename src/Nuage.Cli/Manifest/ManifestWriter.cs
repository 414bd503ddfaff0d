using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nuage.Cli.Manifest;

/// <summary>
/// Writes a <see cref="ManifestConfig"/> as TOML. The output is canonical (names sorted, one layout), so exporting
/// the same install twice gives the same bytes and a diff in git shows only real changes.
/// </summary>
internal static partial class ManifestWriter
{
    public static string Write(ManifestConfig config)
    {
        var text = new StringBuilder();
        text.Append("# Nuage install, written by 'nuage export'. Apply it with 'nuage apply -f FILE' (docs/apply.md).\n");
        text.Append("version = ").Append(ManifestConfig.CurrentVersion.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (config.Org is { } org)
        {
            text.Append("org = ").Append(Quote(org)).Append('\n');
        }

        foreach (var addon in config.Addons.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            text.Append("\n[addons.").Append(Key(addon.Name)).Append("]\n");
            Line(text, "type", addon.Type);
            Line(text, "plan", addon.Plan);
            Line(text, "version", addon.Version);
            Line(text, "backup_schedule", addon.BackupSchedule);
            if (addon.BackupRetention is { } retention)
            {
                text.Append("backup_retention = ").Append(retention.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        foreach (var app in config.Apps.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            WriteApp(text, app);
        }

        return text.ToString();
    }

    private static void WriteApp(StringBuilder text, AppManifest app)
    {
        var path = "apps." + Key(app.Name);
        text.Append('\n').Append('[').Append(path).Append("]\n");
        Line(text, "runtime", app.Runtime);
        Line(text, "flavor", app.Flavor);
        if (app.Instances is { } instances)
        {
            text.Append("instances = ").Append(instances.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (app.Domains.Count > 0)
        {
            text.Append("domains = ").Append(Array(app.Domains.Order(StringComparer.Ordinal))).Append('\n');
        }

        if (app.Addons.Count > 0)
        {
            text.Append("addons = ").Append(Array(app.Addons.Order(StringComparer.Ordinal))).Append('\n');
        }

        if (app.Variables.Count > 0)
        {
            text.Append('\n').Append('[').Append(path).Append(".variables]\n");
            foreach (var (name, value) in app.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                text.Append(Key(name)).Append(" = ").Append(Value(value)).Append('\n');
            }
        }

        if (app.Autoscale is { } autoscale)
        {
            var policy = autoscale.Policy;
            text.Append('\n').Append('[').Append(path).Append(".autoscale]\n");
            if (!autoscale.Enabled)
            {
                text.Append("enabled = false\n");
            }

            Number(text, "min_instances", policy.MinInstances);
            Number(text, "max_instances", policy.MaxInstances);
            Line(text, "min_flavor", policy.MinFlavor);
            Line(text, "max_flavor", policy.MaxFlavor);
            Number(text, "target_cpu", policy.TargetCpu);
            Number(text, "target_rps", policy.TargetRps);
            Number(text, "target_p99_ms", policy.TargetP99Ms);
        }

        foreach (var drain in app.Drains.OrderBy(d => d.Identity, StringComparer.Ordinal))
        {
            text.Append("\n[[").Append(path).Append(".drains]]\n");
            Line(text, "type", drain.Type);
            Line(text, "url", drain.Url);
            Line(text, "username", drain.Username);
            if (drain.Password is { } password)
            {
                text.Append("password = ").Append(Value(password)).Append('\n');
            }

            if (drain.Token is { } token)
            {
                text.Append("token = ").Append(Value(token)).Append('\n');
            }

            Line(text, "sd_params", drain.SdParams);
            if (!drain.Enabled)
            {
                text.Append("enabled = false\n");
            }
        }
    }

    private static void Number(StringBuilder text, string key, double? value)
    {
        if (value is { } v)
        {
            text.Append(key).Append(" = ").Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Line(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(key).Append(" = ").Append(Quote(value)).Append('\n');
        }
    }

    private static string Value(VariableSpec value) =>
        value.SecretRef is { } reference ? $"{{ secret = {Quote(reference)} }}" : Quote(value.Value ?? string.Empty);

    private static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    private static string Key(string key) => BareKey().IsMatch(key) ? key : Quote(key);

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\u007f': text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex BareKey();
}

using System.Text.RegularExpressions;
using Nuage.Core.Apps;

namespace Nuage.Cli.Manifest;

internal sealed partial class ManifestReader
{
    private List<KeyValuePair<string, VariableSpec>> ReadVariables(TomlTable app, string path)
    {
        var variables = new List<KeyValuePair<string, VariableSpec>>();
        if (!app.Entries.TryGetValue("variables", out var node))
        {
            return variables;
        }

        if (node is not TomlTable table)
        {
            Error(node, path, $"must be a table of NAME = \"value\", not {node.Kind}");
            return variables;
        }

        foreach (var (name, value) in table.Ordered)
        {
            var field = path + "." + name;
            _positions[field] = value.Position;
            if (!VariableName().IsMatch(name))
            {
                Error(value, field, $"\"{name}\" is not a variable name; use letters, digits and '_', not starting with a digit");
            }

            if (ReadValue(value, field) is { } spec)
            {
                variables.Add(new(name, spec));
            }
        }

        return variables;
    }

    /// <summary>A string, or <c>{ secret = "ENV_NAME" }</c>: the value comes from that environment variable when apply runs.</summary>
    private VariableSpec? ReadValue(TomlNode value, string field)
    {
        switch (value)
        {
            case TomlScalar { Value: string text }:
                return VariableSpec.Literal(text);
            case TomlTable reference:
                Known(reference, field, ["secret"]);
                var name = Required(reference, "secret", field);
                if (name is not null && !VariableName().IsMatch(name))
                {
                    Error(reference.Entries["secret"], field + ".secret", $"\"{name}\" is not an environment variable name");
                }

                return name is null ? null : VariableSpec.Secret(name);
            default:
                Error(value, field, $"must be a string or {{ secret = \"ENV_NAME\" }}, not {value.Kind}");
                return null;
        }
    }

    private List<DrainManifest> ReadDrains(TomlTable app, string path)
    {
        var drains = new List<DrainManifest>();
        if (!app.Entries.TryGetValue("drains", out var node))
        {
            return drains;
        }

        if (node is not TomlArray array)
        {
            Error(node, path, $"must be an array of tables ([[{path}]]), not {node.Kind}");
            return drains;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            var field = $"{path}[{i}]";
            if (array.Items[i] is not TomlTable table)
            {
                Error(array.Items[i], field, $"must be a table, not {array.Items[i].Kind}");
                continue;
            }

            Known(table, field, ["type", "url", "username", "password", "token", "sd_params", "enabled"]);
            var type = Required(table, "type", field);
            var url = Required(table, "url", field);
            var drain = new DrainManifest
            {
                Type = type ?? string.Empty,
                Url = url ?? string.Empty,
                Username = String(table, "username", field + ".username"),
                Password = table.Entries.TryGetValue("password", out var password) ? ReadValue(password, field + ".password") : null,
                Token = table.Entries.TryGetValue("token", out var token) ? ReadValue(token, field + ".token") : null,
                SdParams = String(table, "sd_params", field + ".sd_params"),
                Enabled = Bool(table, "enabled", field + ".enabled") ?? true,
            };
            if (type is not null && url is not null)
            {
                _positions[field] = table.Position;
                drains.Add(drain);
            }
        }

        return drains;
    }

    /// <summary>The named tables under a key (apps, addons), with a check that each name is written once.</summary>
    private IEnumerable<(string Name, TomlTable Table)> Tables(TomlTable root, string key, string path)
    {
        if (!root.Entries.TryGetValue(key, out var node))
        {
            yield break;
        }

        if (node is not TomlTable table)
        {
            Error(node, path, $"must be a table of named entries ([{key}.NAME]), not {node.Kind}");
            yield break;
        }

        foreach (var (name, entry) in table.Ordered)
        {
            _positions[path + "." + name] = entry.Position;
            if (entry is TomlTable named)
            {
                yield return (name, named);
            }
            else
            {
                Error(entry, path + "." + name, $"must be a table ([{key}.{name}]), not {entry.Kind}");
            }
        }
    }

    private void Known(TomlTable table, string path, IReadOnlyList<string> keys)
    {
        foreach (var (key, node) in table.Ordered)
        {
            var field = path.Length == 0 ? key : path + "." + key;
            _positions.TryAdd(field, node.Position);
            if (!keys.Contains(key))
            {
                var at = table.KeyPositions.TryGetValue(key, out var keyPosition) ? keyPosition : node.Position;
                _errors.Add(new ManifestError(at, field, $"unknown key \"{key}\"; accepted here: {string.Join(", ", keys)}"));
            }
        }
    }

    private void NameCheck(TomlTable table, string path, string name)
    {
        if (!AppNames.IsValid(name))
        {
            Error(table, path, $"\"{name}\" is not a valid name; use {AppNames.Accepted}");
        }
    }

    private string? Required(TomlTable table, string key, string path)
    {
        if (!table.Entries.ContainsKey(key))
        {
            Error(table, path, $"\"{key}\" is required");
            return null;
        }

        return String(table, key, path + "." + key);
    }

    private string? String(TomlTable table, string key, string field) => Typed<string>(table, key, field, "a string");

    private long? Int(TomlTable table, string key, string field) =>
        table.Entries.TryGetValue(key, out var node) && node is TomlScalar { Value: long value } ? value : Typed<long?>(table, key, field, "an integer");

    private bool? Bool(TomlTable table, string key, string field) =>
        table.Entries.TryGetValue(key, out var node) && node is TomlScalar { Value: bool value } ? value : Typed<bool?>(table, key, field, "a boolean");

    private T? Typed<T>(TomlTable table, string key, string field, string expected)
    {
        if (!table.Entries.TryGetValue(key, out var node))
        {
            return default;
        }

        if (node is TomlScalar { Value: T value })
        {
            return value;
        }

        Error(node, field, $"must be {expected}, not {node.Kind}");
        return default;
    }

    private List<string> Strings(TomlTable table, string key, string field)
    {
        var values = new List<string>();
        if (!table.Entries.TryGetValue(key, out var node))
        {
            return values;
        }

        if (node is not TomlArray array)
        {
            Error(node, field, $"must be an array of strings, not {node.Kind}");
            return values;
        }

        foreach (var item in array.Items)
        {
            if (item is TomlScalar { Value: string text })
            {
                if (values.Contains(text, StringComparer.OrdinalIgnoreCase))
                {
                    Error(item, field, $"\"{text}\" is listed twice");
                }
                else
                {
                    values.Add(text);
                }
            }
            else
            {
                Error(item, field, $"must contain only strings, not {item.Kind}");
            }
        }

        return values;
    }

    private void Error(TomlNode node, string path, string message) => _errors.Add(new ManifestError(node.Position, path, message));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}

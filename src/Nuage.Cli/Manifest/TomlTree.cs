using System.Globalization;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Nuage.Cli.Manifest;

/// <summary>Where something is in the file, 1-based, as editors show it.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line.ToString(CultureInfo.InvariantCulture)}:{Column.ToString(CultureInfo.InvariantCulture)}";

    public static SourcePosition Of(SyntaxNodeBase? node) =>
        node is null ? new(1, 1) : new(node.Span.Start.Line + 1, node.Span.Start.Column + 1);
}

/// <summary>One problem in a file: where, which key, what is wrong and what is accepted.</summary>
internal sealed record ManifestError(SourcePosition Position, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{Position}: {Message}" : $"{Position}: {Path}: {Message}";
}

/// <summary>A TOML value with the place it was written, so every later check can point at it.</summary>
internal abstract record TomlNode(SourcePosition Position)
{
    public abstract string Kind { get; }
}

internal sealed record TomlScalar(SourcePosition Position, object Value) : TomlNode(Position)
{
    public override string Kind => Value switch
    {
        string => "a string",
        long => "an integer",
        bool => "a boolean",
        double => "a float",
        _ => "a date",
    };
}

internal sealed record TomlArray(SourcePosition Position, List<TomlNode> Items) : TomlNode(Position)
{
    public override string Kind => "an array";
}

internal sealed record TomlTable(SourcePosition Position, bool Explicit) : TomlNode(Position)
{
    public Dictionary<string, TomlNode> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each key was written (errors about a key point at the key, not at its value).</summary>
    public Dictionary<string, SourcePosition> KeyPositions { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys in file order (Dictionary keeps insertion order until a removal; we never remove).</summary>
    public IEnumerable<KeyValuePair<string, TomlNode>> Ordered => Entries;

    public bool Declared { get; set; } = Explicit;

    public override string Kind => "a table";
}

/// <summary>
/// Turns Tomlyn's syntax tree into tables of positioned values. Redefinitions (a key or table written twice) are
/// collected as errors pointing at both places instead of stopping at the first.
/// </summary>
internal static class TomlTree
{
    /// <summary>Null when the text is not TOML (syntax errors are in <paramref name="errors"/>).</summary>
    public static TomlTable? Parse(string text, string fileName, List<ManifestError> errors)
    {
        var document = SyntaxParser.Parse(text, fileName, false);
        var root = new TomlTable(new(1, 1), true);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
            {
                errors.Add(new ManifestError(new(diagnostic.Span.Start.Line + 1, diagnostic.Span.Start.Column + 1), string.Empty, "invalid TOML: " + diagnostic.Message));
            }
        }

        if (document.HasErrors)
        {
            return null;
        }

        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, string.Empty, keyValue, errors);
        }

        foreach (var table in document.Tables)
        {
            var parts = KeyParts(table.Name!);
            var position = SourcePosition.Of(table);
            var path = string.Join('.', parts);
            TomlTable? target;
            if (table is TableArraySyntax)
            {
                var parent = Walk(root, parts[..^1], position, errors);
                target = parent is null ? null : AppendToArray(parent, parts[^1], path, position, errors);
            }
            else
            {
                target = Walk(root, parts, position, errors);
                if (target is not null)
                {
                    if (target.Declared)
                    {
                        errors.Add(new ManifestError(position, path, $"[{path}] is declared twice (first at {target.Position})"));
                        target = null;
                    }
                    else
                    {
                        target.Declared = true;
                    }
                }
            }

            if (target is null)
            {
                continue;
            }

            foreach (var item in table.Items)
            {
                AddKeyValue(target, path, item, errors);
            }
        }

        return root;
    }

    private static void AddKeyValue(TomlTable table, string tablePath, KeyValueSyntax keyValue, List<ManifestError> errors)
    {
        var parts = KeyParts(keyValue.Key!);
        var position = SourcePosition.Of(keyValue);
        var parent = Walk(table, parts[..^1], position, errors);
        if (parent is null)
        {
            return;
        }

        var path = Join(tablePath, string.Join('.', parts));
        if (parent.Entries.TryGetValue(parts[^1], out var existing))
        {
            errors.Add(new ManifestError(position, path, $"is set twice (first at {existing.Position})"));
            return;
        }

        parent.Entries[parts[^1]] = Convert(keyValue.Value!, path, errors);
        parent.KeyPositions[parts[^1]] = position;
    }

    private static TomlNode Convert(ValueSyntax value, string path, List<ManifestError> errors)
    {
        var position = SourcePosition.Of(value);
        switch (value)
        {
            case StringValueSyntax s:
                return new TomlScalar(position, s.Value ?? string.Empty);
            case IntegerValueSyntax i:
                return new TomlScalar(position, i.Value);
            case BooleanValueSyntax b:
                return new TomlScalar(position, b.Value);
            case FloatValueSyntax f:
                return new TomlScalar(position, f.Value);
            case ArraySyntax a:
                return new TomlArray(position, [.. a.Items.Select(item => Convert(item.Value!, path, errors))]);
            case InlineTableSyntax t:
                var table = new TomlTable(position, true);
                foreach (var item in t.Items)
                {
                    AddKeyValue(table, path, item.KeyValue!, errors);
                }

                return table;
            default:
                return new TomlScalar(position, value.ToString() ?? string.Empty);
        }
    }

    /// <summary>Follows (creating implicit tables) a dotted path; null, with an error, when a part is not a table.</summary>
    private static TomlTable? Walk(TomlTable from, IReadOnlyList<string> parts, SourcePosition position, List<ManifestError> errors)
    {
        var current = from;
        foreach (var part in parts)
        {
            if (!current.Entries.TryGetValue(part, out var next))
            {
                var created = new TomlTable(position, false);
                current.Entries[part] = created;
                current.KeyPositions[part] = position;
                current = created;
                continue;
            }

            switch (next)
            {
                case TomlTable table:
                    current = table;
                    break;
                case TomlArray { Items: [.., TomlTable last] }:
                    current = last;
                    break;
                default:
                    errors.Add(new ManifestError(position, part, $"is already {next.Kind} (at {next.Position}), not a table"));
                    return null;
            }
        }

        return current;
    }

    private static TomlTable? AppendToArray(TomlTable parent, string name, string path, SourcePosition position, List<ManifestError> errors)
    {
        if (!parent.Entries.TryGetValue(name, out var existing))
        {
            existing = new TomlArray(position, []);
            parent.Entries[name] = existing;
            parent.KeyPositions[name] = position;
        }

        if (existing is not TomlArray array)
        {
            errors.Add(new ManifestError(position, path, $"is already {existing.Kind} (at {existing.Position}), not an array of tables"));
            return null;
        }

        var table = new TomlTable(position, true);
        array.Items.Add(table);
        return table;
    }

    private static string[] KeyParts(KeySyntax key) =>
        [Text(key.Key), .. key.DotKeys.Select(d => Text(d.Key))];

    private static string Text(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}

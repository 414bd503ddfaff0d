using System.Globalization;
using System.Text.RegularExpressions;

namespace Nuage.Core.Variables;

/// <summary>
/// Looks variable names up in the registered definitions (<see cref="KnownVariables"/> by default): exact names,
/// deprecated aliases and indexed family members (<c>NAME_0</c> … <c>NAME_999</c>). Immutable and thread-safe.
/// </summary>
public sealed partial class VariableRegistry
{
    public const int MaxIndex = 999;

    private readonly Dictionary<string, VariableDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VariableDefinition> _byAlias = new(StringComparer.Ordinal);

    public VariableRegistry(IEnumerable<VariableDefinition> definitions)
    {
        var list = definitions.ToList();
        foreach (var definition in list)
        {
            if (!NamePattern().IsMatch(definition.Name) || !_byName.TryAdd(definition.Name, definition))
            {
                throw new ArgumentException($"Variable {definition.Name} is registered twice or has an invalid name.", nameof(definitions));
            }
        }

        foreach (var definition in list)
        {
            foreach (var alias in definition.DeprecatedAliases)
            {
                if (_byName.ContainsKey(alias) || !_byAlias.TryAdd(alias, definition))
                {
                    throw new ArgumentException($"Alias {alias} of {definition.Name} is already registered.", nameof(definitions));
                }
            }
        }

        All = list;
    }

    /// <summary>The registry of every variable Nuage knows.</summary>
    public static VariableRegistry Default { get; } = new(KnownVariables.All());

    public IReadOnlyList<VariableDefinition> All { get; }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex NamePattern();

    [GeneratedRegex("^(?<base>.+)_(?<index>0|[1-9][0-9]{0,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexedName();

    /// <summary>Variables that apply to <paramref name="runtime"/> (all of them when null).</summary>
    public IEnumerable<VariableDefinition> ForRuntime(string? runtime) => All.Where(d => d.AppliesTo(runtime));

    /// <summary>The definition with this exact primary name, or null.</summary>
    public VariableDefinition? Get(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Resolves a name as set by a user (case-sensitive, as environment variables are).</summary>
    public VariableMatch? Find(string name)
    {
        if (_byName.TryGetValue(name, out var definition))
        {
            return new VariableMatch(definition, name, null, IsAlias: false);
        }

        if (_byAlias.TryGetValue(name, out definition))
        {
            return new VariableMatch(definition, name, null, IsAlias: true);
        }

        var indexed = IndexedName().Match(name);
        if (indexed.Success && _byName.TryGetValue(indexed.Groups["base"].Value, out definition) && definition.Indexed)
        {
            return new VariableMatch(definition, name, int.Parse(indexed.Groups["index"].Value, CultureInfo.InvariantCulture), IsAlias: false);
        }

        return null;
    }

    /// <summary>
    /// Whether a variable's value must be treated as secret (encrypted at rest, redacted in outputs).
    /// Registered variables are secret only when marked so; unknown names (the users' own variables) are secret.
    /// </summary>
    public bool IsSecret(string name) => Find(name)?.Definition.Secret ?? true;
}

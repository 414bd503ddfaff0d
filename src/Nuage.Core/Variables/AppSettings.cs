namespace Nuage.Core.Variables;

/// <summary>
/// An app's deployment variables as typed values: the only way the rest of Nuage reads them. Obtain it with
/// <see cref="From"/> (or <see cref="VariableValidator.ReadSettings"/>); read well-known settings through the
/// properties, anything registered through <see cref="Get{T}"/> / <see cref="TryGet{T}"/> / <see cref="GetAll{T}"/>.
/// Unset variables read as their registered default. Immutable.
/// </summary>
public sealed partial class AppSettings
{
    private readonly IReadOnlyDictionary<VariableDefinition, IReadOnlyList<object>> _values;

    internal AppSettings(IReadOnlyDictionary<VariableDefinition, IReadOnlyList<object>> values)
    {
        _values = values;
    }

    /// <summary>Reads typed settings from an app's variables; throws <c>NuageException</c> (invalid_variable) listing every bad value.</summary>
    public static AppSettings From(IReadOnlyDictionary<string, string> env, VariableValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        return validator.ReadSettings(env);
    }

    /// <summary>Whether the variable (or, for a family, any member; or a deprecated alias) is set.</summary>
    public bool IsSet(VariableDefinition definition) => _values.ContainsKey(definition);

    /// <summary>The value when set, else the default; throws when the variable has no default (use <see cref="TryGet{T}"/>).</summary>
    public T Get<T>(VariableDefinition<T> definition)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (TryGet(definition, out var value))
        {
            return value;
        }

        return definition.HasDefault
            ? definition.Default
            : throw new InvalidOperationException($"{definition.Name} has no default; read it with TryGet or GetOrNull.");
    }

    /// <summary>The value when set (for a family: the bare name, else the lowest index); false when unset.</summary>
    public bool TryGet<T>(VariableDefinition<T> definition, out T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (_values.TryGetValue(definition, out var list) && list.Count > 0)
        {
            value = (T)list[0];
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Text value when set, else the default, else null.</summary>
    public string? GetOrNull(VariableDefinition<string> definition) =>
        TryGet(definition, out var value) ? value : definition.HasDefault ? definition.Default : null;

    /// <summary>Every member of an indexed family: the bare name first, then <c>_0</c>, <c>_1</c> … by number.</summary>
    public IReadOnlyList<T> GetAll<T>(VariableDefinition<T> definition)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        return _values.TryGetValue(definition, out var list) ? [.. list.Cast<T>()] : [];
    }
}

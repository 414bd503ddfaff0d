namespace Nuage.Core.Variables;

/// <summary>
/// One registered deployment variable: its name, type, default, the runtimes it applies to, its documentation
/// and how the platform treats it. Instances live in <see cref="KnownVariables"/> and are referenced by symbol.
/// </summary>
public abstract class VariableDefinition
{
    private protected VariableDefinition(string name, string description)
    {
        Name = name;
        Description = description;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>Runtimes (see <c>Nuage.Core.Apps.Runtimes</c>, or Clever Cloud runtime names) it applies to; empty means all.</summary>
    public IReadOnlyList<string> Runtimes { get; init; } = [];

    /// <summary>Old names still accepted, with a warning naming <see cref="Name"/>.</summary>
    public IReadOnlyList<string> DeprecatedAliases { get; init; } = [];

    public VariableStatus Status { get; init; } = VariableStatus.Supported;

    /// <summary>Injected by the platform into each instance; users may not set it.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The value is sensitive: redact it in outputs and encrypt it at rest.</summary>
    public bool Secret { get; init; }

    /// <summary>A family: <c>NAME</c>, <c>NAME_0</c> … <c>NAME_N</c> are all this variable.</summary>
    public bool Indexed { get; init; }

    /// <summary>Why it matters when the variable is left unset, e.g. "detected from go.mod" (docs only).</summary>
    public string? WhenUnset { get; init; }

    public abstract VariableType Type { get; }

    /// <summary>The default in canonical text, or null when there is none.</summary>
    public abstract string? DefaultText { get; }

    public bool AppliesTo(string? runtime) =>
        Runtimes.Count == 0 || runtime is null || Runtimes.Contains(runtime, StringComparer.Ordinal);

    public override string ToString() => Name;
}

/// <summary>A registered variable whose values are <typeparamref name="T"/>.</summary>
public sealed class VariableDefinition<T> : VariableDefinition
    where T : notnull
{
    private readonly T _default = default!;

    public VariableDefinition(string name, VariableType<T> type, string description)
        : base(name, description)
    {
        TypedType = type;
    }

    public VariableType<T> TypedType { get; }

    public override VariableType Type => TypedType;

    public bool HasDefault { get; private init; }

    /// <summary>The value when unset. Only meaningful when <see cref="HasDefault"/>.</summary>
    public T Default
    {
        get => _default;
        init
        {
            _default = value;
            HasDefault = true;
        }
    }

    public override string? DefaultText => HasDefault ? TypedType.Format(_default) : null;
}

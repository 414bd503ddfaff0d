namespace Nuage.Core.Variables;

/// <summary>
/// One registered variable described for listings (<c>nuage variables [--runtime R] [--json]</c>,
/// <c>nuage variables NAME</c>, the API). Plain data, safe to serialise.
/// </summary>
public sealed record VariableInfo
{
    public required string Name { get; init; }

    /// <summary>boolean, disabler, alternatives, version, number, text, path or list.</summary>
    public required string Kind { get; init; }

    /// <summary>supported or recognised-unsupported.</summary>
    public required string Status { get; init; }

    public required string Description { get; init; }

    /// <summary>What is accepted on this host (version lists are the detected ones).</summary>
    public required string Accepted { get; init; }

    public string? Default { get; init; }

    /// <summary>What happens when unset and there is no default value.</summary>
    public string? WhenUnset { get; init; }

    /// <summary>Empty means every runtime.</summary>
    public IReadOnlyList<string> Runtimes { get; init; } = [];

    public IReadOnlyList<string> DeprecatedAliases { get; init; } = [];

    public bool ReadOnly { get; init; }

    public bool Secret { get; init; }

    public bool Indexed { get; init; }

    public static string StatusText(VariableStatus status) =>
        status == VariableStatus.Supported ? "supported" : "recognised-unsupported";

    public static VariableInfo From(VariableDefinition definition, HostVersions versions)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new VariableInfo
        {
            Name = definition.Name,
            Kind = definition.Type.Kind.ToString().ToLowerInvariant(),
            Status = StatusText(definition.Status),
            Description = definition.Description,
            Accepted = definition.Type.Accepted(versions),
            Default = definition.DefaultText,
            WhenUnset = definition.WhenUnset,
            Runtimes = definition.Runtimes,
            DeprecatedAliases = definition.DeprecatedAliases,
            ReadOnly = definition.ReadOnly,
            Secret = definition.Secret,
            Indexed = definition.Indexed,
        };
    }
}

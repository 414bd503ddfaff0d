namespace Nuage.Core.Variables;

/// <summary>The family of a variable's type; drives docs, the JSON Schema and the CLI listing.</summary>
public enum VariableKind
{
    Boolean,
    Disabler,
    Alternatives,
    Version,
    Number,
    Text,
    Path,
    List,
}

namespace Nuage.Core.Variables;

/// <summary>How a variable name resolved in the registry.</summary>
/// <param name="Definition">The registered variable.</param>
/// <param name="Name">The name as written (may be an alias or an indexed name such as CC_WORKER_COMMAND_2).</param>
/// <param name="Index">For indexed families: null for the bare name, else the suffix number.</param>
/// <param name="IsAlias">The name is a deprecated alias of <see cref="VariableDefinition.Name"/>.</param>
public sealed record VariableMatch(VariableDefinition Definition, string Name, int? Index, bool IsAlias);

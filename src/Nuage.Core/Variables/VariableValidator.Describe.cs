namespace Nuage.Core.Variables;

public sealed partial class VariableValidator
{
    /// <summary>The registry for listings, limited to one runtime when given (common variables included).</summary>
    public IReadOnlyList<VariableInfo> Describe(string? runtime = null) =>
        [.. Registry.ForRuntime(runtime).Select(d => VariableInfo.From(d, Versions))];

    /// <summary>One variable by name (an alias or an indexed member resolves to its definition), or null when unknown.</summary>
    public VariableInfo? Explain(string name) =>
        Registry.Find(name) is { } match ? VariableInfo.From(match.Definition, Versions) : null;

    /// <summary>JSON Schema (draft 2020-12) of an app's variables for this host's tool versions.</summary>
    public string Schema(string? runtime = null) => VariableSchema.GenerateJson(Registry, Versions, runtime);
}

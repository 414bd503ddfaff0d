namespace Nuage.Core.Variables;

/// <summary>
/// The registry's content: every deployment variable Nuage knows, referenced by symbol
/// (<c>KnownVariables.WorkerRestart</c>) by the rest of the code, which never spells a <c>CC_</c> name.
/// </summary>
/// <remarks>
/// Why a C# table rather than an embedded data file: the compiler checks every entry (a misspelt type or an
/// enum default that does not exist fails the build, not a deployment); defaults are typed values
/// (<c>WorkerRestartPolicy.OnFailure</c>, not the text "on-failure" parsed at run time); and callers hold a
/// <see cref="VariableDefinition{T}"/> symbol whose type flows into <see cref="AppSettings.Get{T}"/>, so
/// renaming or retyping a variable is a compile error at every reader. A data file would need its own loader,
/// its own validation and string lookups at each use. Documentation and the JSON Schema are generated from
/// this table, so it stays the single source of truth.
/// </remarks>
public static partial class KnownVariables
{
    /// <summary>Every registered variable, in documentation order. Built on each call; cache it (the registry does).</summary>
    public static IReadOnlyList<VariableDefinition> All() =>
        [.. Common(), .. RuntimeSpecific(), .. Platform(), .. Unsupported()];
}

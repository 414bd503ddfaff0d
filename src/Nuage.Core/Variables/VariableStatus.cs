namespace Nuage.Core.Variables;

/// <summary>Whether Nuage acts on a registered variable. Persisted in docs and the schema: do not rename.</summary>
public enum VariableStatus
{
    /// <summary>Nuage reads the variable and it changes behaviour.</summary>
    Supported,

    /// <summary>A known Clever Cloud variable that Nuage accepts but does not act on yet.</summary>
    RecognisedUnsupported,
}

using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>
/// How a variable's raw text becomes a typed value. Every type shares the same sanitising (the raw text is
/// trimmed before it reaches <see cref="VariableType{T}.TryParse"/>; emptiness is handled once, by the
/// definition) and the same error shape: <c>"raw" is not accepted; use {Accepted}</c>.
/// </summary>
public abstract class VariableType
{
    private protected VariableType()
    {
    }

    public abstract VariableKind Kind { get; }

    /// <summary>What is accepted, phrased to follow "use …" (e.g. "one of: always, on-failure, no").</summary>
    public abstract string Accepted(HostVersions versions);

    /// <summary>The same, independent of the host, for the generated docs.</summary>
    public abstract string AcceptedForDocs { get; }

    internal abstract bool TryParseBoxed(string trimmed, HostVersions versions, out object? value);

    internal abstract void DescribeSchema(JsonObject property, HostVersions versions);
}

/// <summary>A variable type producing values of <typeparamref name="T"/>.</summary>
public abstract class VariableType<T> : VariableType
    where T : notnull
{
    /// <summary>Parses already-trimmed, non-empty text.</summary>
    public abstract bool TryParse(string trimmed, HostVersions versions, out T value);

    /// <summary>The canonical text of a value (used for defaults in docs and schema).</summary>
    public abstract string Format(T value);

    internal sealed override bool TryParseBoxed(string trimmed, HostVersions versions, out object? value)
    {
        var ok = TryParse(trimmed, versions, out var typed);
        value = ok ? typed : null;
        return ok;
    }
}

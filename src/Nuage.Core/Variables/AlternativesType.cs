using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>One of a fixed list of tokens (case-insensitive), each mapped to a typed value.</summary>
public sealed class AlternativesType<T> : VariableType<T>
    where T : notnull
{
    private readonly (string Token, T Value)[] _choices;

    public AlternativesType(params (string Token, T Value)[] choices)
    {
        if (choices.Length == 0)
        {
            throw new ArgumentException("An alternatives type needs at least one choice.", nameof(choices));
        }

        _choices = choices;
    }

    public IReadOnlyList<string> Tokens => [.. _choices.Select(c => c.Token)];

    public override VariableKind Kind => VariableKind.Alternatives;

    public override string AcceptedForDocs => "one of: " + string.Join(", ", Tokens);

    public override string Accepted(HostVersions versions) => AcceptedForDocs;

    public override bool TryParse(string trimmed, HostVersions versions, out T value)
    {
        foreach (var (token, choice) in _choices)
        {
            if (string.Equals(token, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = choice;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public override string Format(T value)
    {
        foreach (var (token, choice) in _choices)
        {
            if (EqualityComparer<T>.Default.Equals(choice, value))
            {
                return token;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "Not one of this type's choices.");
    }

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = "string";
        property["enum"] = new JsonArray([.. Tokens.Select(t => (JsonNode)t)]);
    }
}

/// <summary>Shorthand for alternatives whose value is the canonical token itself.</summary>
public static class Alternatives
{
    public static AlternativesType<string> Of(params string[] tokens) =>
        new([.. tokens.Select(t => (t, t))]);
}

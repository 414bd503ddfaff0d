using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>
/// A version of a tool installed on the host (see <see cref="HostVersions"/>). A full version or any
/// dot-separated prefix of one is accepted (<c>8</c>, <c>8.3</c>, <c>8.3.1</c>); the value is the highest
/// installed version matching it.
/// </summary>
public sealed class VersionType : VariableType<string>
{
    public VersionType(string tool)
    {
        Tool = tool;
    }

    /// <summary>One of <see cref="HostTools"/>.</summary>
    public string Tool { get; }

    public override VariableKind Kind => VariableKind.Version;

    public override string AcceptedForDocs => $"a {Tool} version installed on the host (detected at start): a full version or a prefix of one, such as its major";

    public override string Accepted(HostVersions versions)
    {
        var tokens = versions.AcceptedTokens(Tool);
        return tokens.Count == 0
            ? $"a {Tool} version installed on this host (none found)"
            : "one of: " + string.Join(", ", tokens);
    }

    public override bool TryParse(string trimmed, HostVersions versions, out string value)
    {
        var candidate = trimmed.StartsWith('v') || trimmed.StartsWith('V') ? trimmed[1..] : trimmed;
        var match = versions.Resolve(Tool, candidate);
        value = match ?? "";
        return match is not null;
    }

    public override string Format(string value) => value;

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = "string";
        var tokens = versions.AcceptedTokens(Tool);
        if (tokens.Count > 0)
        {
            property["enum"] = new JsonArray([.. tokens.Select(t => (JsonNode)t)]);
        }
    }
}

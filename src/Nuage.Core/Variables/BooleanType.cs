using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>
/// A yes/no switch. Plain booleans accept <c>1 true yes on enable enabled</c> and <c>0 false no off disable disabled</c>.
/// A disabler (a name meaning "disable X") reads <c>disable</c>/<c>disabled</c> as true, and refuses
/// <c>enable</c>/<c>enabled</c>, which would be ambiguous there. Case-insensitive.
/// </summary>
public sealed class BooleanType : VariableType<bool>
{
    private static readonly string[] PlainTrue = ["1", "true", "yes", "on", "enable", "enabled"];
    private static readonly string[] PlainFalse = ["0", "false", "no", "off", "disable", "disabled"];
    private static readonly string[] DisablerTrue = ["1", "true", "yes", "on", "disable", "disabled"];
    private static readonly string[] DisablerFalse = ["0", "false", "no", "off"];

    private BooleanType(bool disabler)
    {
        IsDisabler = disabler;
    }

    public static BooleanType Plain { get; } = new(disabler: false);

    public static BooleanType Disabler { get; } = new(disabler: true);

    public bool IsDisabler { get; }

    public IReadOnlyList<string> TrueTokens => IsDisabler ? DisablerTrue : PlainTrue;

    public IReadOnlyList<string> FalseTokens => IsDisabler ? DisablerFalse : PlainFalse;

    public override VariableKind Kind => IsDisabler ? VariableKind.Disabler : VariableKind.Boolean;

    public override string AcceptedForDocs =>
        $"true: {string.Join(", ", TrueTokens)}; false: {string.Join(", ", FalseTokens)}";

    public override string Accepted(HostVersions versions) => "one of: " + AcceptedForDocs;

    public override bool TryParse(string trimmed, HostVersions versions, out bool value)
    {
        if (Contains(TrueTokens, trimmed))
        {
            value = true;
            return true;
        }

        value = false;
        return Contains(FalseTokens, trimmed);
    }

    public override string Format(bool value) => value ? "true" : "false";

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = new JsonArray("string", "boolean");
        property["enum"] = new JsonArray([.. TrueTokens.Concat(FalseTokens).Select(t => (JsonNode)t), true, false]);
    }

    private static bool Contains(IReadOnlyList<string> tokens, string candidate) =>
        tokens.Any(t => string.Equals(t, candidate, StringComparison.OrdinalIgnoreCase));
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>A whole number within an inclusive range.</summary>
public sealed class NumberType : VariableType<int>
{
    public NumberType(int min = int.MinValue, int max = int.MaxValue)
    {
        if (min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "max must not be below min.");
        }

        Min = min;
        Max = max;
    }

    public int Min { get; }

    public int Max { get; }

    public override VariableKind Kind => VariableKind.Number;

    public override string AcceptedForDocs => (Min, Max) switch
    {
        (int.MinValue, int.MaxValue) => "a whole number",
        (_, int.MaxValue) => $"a whole number of at least {Min}",
        (int.MinValue, _) => $"a whole number of at most {Max}",
        _ => $"a whole number from {Min} to {Max}",
    };

    public override string Accepted(HostVersions versions) => AcceptedForDocs;

    public override bool TryParse(string trimmed, HostVersions versions, out int value) =>
        int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && value >= Min && value <= Max;

    public override string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        // Environment values are text; a JSON number is accepted too. minimum/maximum apply to numbers,
        // the pattern to text (the range of text values is checked by Nuage).
        property["type"] = new JsonArray("integer", "string");
        property["pattern"] = "^\\s*[+-]?[0-9]+\\s*$";
        if (Min != int.MinValue)
        {
            property["minimum"] = Min;
        }

        if (Max != int.MaxValue)
        {
            property["maximum"] = Max;
        }
    }
}

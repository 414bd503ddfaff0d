using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>Items separated by a character (comma by default); items are trimmed, empty items ignored.</summary>
public sealed class ListType : VariableType<IReadOnlyList<string>>
{
    public ListType(char separator = ',', VariableType<string>? item = null)
    {
        Separator = separator;
        Item = item ?? TextType.Any;
    }

    public char Separator { get; }

    public VariableType<string> Item { get; }

    public override VariableKind Kind => VariableKind.List;

    public override string AcceptedForDocs => $"a '{Separator}'-separated list of {Item.AcceptedForDocs}";

    public override string Accepted(HostVersions versions) => $"a '{Separator}'-separated list of {Item.Accepted(versions)}";

    public override bool TryParse(string trimmed, HostVersions versions, out IReadOnlyList<string> value)
    {
        var items = new List<string>();
        foreach (var raw in trimmed.Split(Separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Item.TryParse(raw, versions, out var item))
            {
                value = [];
                return false;
            }

            items.Add(item);
        }

        value = items;
        return items.Count > 0;
    }

    public override string Format(IReadOnlyList<string> value) => string.Join(Separator, value);

    internal override void DescribeSchema(JsonObject property, HostVersions versions)
    {
        property["type"] = "string";
        property["minLength"] = 1;
    }
}

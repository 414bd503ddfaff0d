using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Nuage.Bgp.Irr;

/// <summary>
/// Reads the JSON prefix lists <c>bgpq4 -j -l NAME AS-SET</c> prints:
/// <c>{"NAME":[{"prefix":"192.0.2.0/24","exact":true},{"prefix":"10.0.0.0/8","exact":false,"greater-equal":16,"less-equal":24}]}</c>.
/// bgpq4 does not say which AS of the set originates each prefix, so entries hold for <paramref name="origin"/> when
/// the operator names it (an export made for one AS) and for any origin otherwise.
/// </summary>
public static class Bgpq4Export
{
    public static IReadOnlyList<IrrRoute> Read(string path, uint? origin = null) => Parse(File.ReadAllBytes(path), Path.GetFileName(path), origin);

    public static IReadOnlyList<IrrRoute> Parse(string json, string name, uint? origin = null) => Parse(Encoding.UTF8.GetBytes(json), name, origin);

    public static IReadOnlyList<IrrRoute> Parse(byte[] json, string name, uint? origin = null)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var routes = new List<IrrRoute>();
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, json, name, "the export must be a JSON object of prefix lists ({\"NAME\":[…]})");
            while (Read(ref reader, json, name) != JsonTokenType.EndObject)
            {
                var list = reader.GetString()!;
                Expect(ref reader, JsonTokenType.StartArray, json, name, $"prefix list \"{list}\" must be an array of {{\"prefix\":…}} entries");
                while (Read(ref reader, json, name) != JsonTokenType.EndArray)
                {
                    routes.Add(Entry(ref reader, json, name, list, origin));
                }
            }
        }
        catch (JsonException e)
        {
            throw new IrrFormatException(name, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON (bgpq4 -j output is expected): {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }

        return routes;
    }

    private static IrrRoute Entry(ref Utf8JsonReader reader, byte[] json, string name, string list, uint? origin)
    {
        var line = Line(json, reader.TokenStartIndex);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new IrrFormatException(name, line, $"an entry of \"{list}\" must be an object like {{\"prefix\":\"192.0.2.0/24\",\"exact\":true}}");
        }

        string? prefixText = null;
        var exact = true;
        int? greaterEqual = null;
        int? lessEqual = null;
        while (Read(ref reader, json, name) != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            var valueLine = Line(json, reader.TokenStartIndex);
            Read(ref reader, json, name);
            switch (property)
            {
                case "prefix" when reader.TokenType == JsonTokenType.String:
                    prefixText = reader.GetString();
                    break;
                case "exact" when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                    exact = reader.GetBoolean();
                    break;
                case "greater-equal" or "less-equal" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var length):
                    (property == "greater-equal" ? ref greaterEqual : ref lessEqual) = length;
                    break;
                case "prefix" or "exact" or "greater-equal" or "less-equal":
                    throw new IrrFormatException(name, valueLine, $"\"{property}\" has a {reader.TokenType} value; expected {(property == "prefix" ? "a string" : property == "exact" ? "true or false" : "a prefix length")}");
                default:
                    reader.Skip(); // fields a newer bgpq4 may add
                    break;
            }
        }

        var prefix = IrrRegistry.ParsePrefix(prefixText ?? "")
            ?? throw new IrrFormatException(name, line, prefixText is null
                ? $"an entry of \"{list}\" has no \"prefix\""
                : $"\"prefix\": \"{prefixText}\" is not a prefix (CIDR like 192.0.2.0/24 or 2001:db8::/32, no host bits)");
        var bits = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (exact)
        {
            return new IrrRoute(prefix, origin, $"{name} line {line}, list {list}");
        }

        var min = greaterEqual ?? prefix.PrefixLength;
        var max = lessEqual ?? bits;
        return min < prefix.PrefixLength || max < min || max > bits
            ? throw new IrrFormatException(name, line, $"{prefixText}: greater-equal {min} and less-equal {max} must satisfy {prefix.PrefixLength} <= greater-equal <= less-equal <= {bits}")
            : new IrrRoute(prefix, origin, $"{name} line {line}, list {list}") { MinLength = min, MaxLength = max };
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader, byte[] json, string name) =>
        reader.Read() ? reader.TokenType : throw new IrrFormatException(name, Line(json, json.Length), "the JSON ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, byte[] json, string name, string problem)
    {
        if (Read(ref reader, json, name) != token)
        {
            throw new IrrFormatException(name, Line(json, reader.TokenStartIndex), problem);
        }
    }

    private static int Line(byte[] json, long offset) => json.AsSpan(0, (int)Math.Min(offset, json.Length)).Count((byte)'\n') + 1;
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nuage.Server.Mcp;

/// <summary>
/// Aligns the generated output schemas with how results are written. The schema generator marks every constructor
/// parameter as required, but <see cref="ToolResults.Json"/> omits null values, so a nullable property may be
/// absent: it stays declared (with its null-allowing type) and leaves <c>required</c>. Strict clients (the TypeScript
/// SDK validates every structuredContent with Ajv) would otherwise refuse correct results.
/// </summary>
internal static class OutputSchemas
{
    public static JsonElement AllowOmittedNulls(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText());
        Visit(node);
        return JsonSerializer.SerializeToElement(node, ToolResults.Json);
    }

    private static void Visit(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties && obj["required"] is JsonArray required)
                {
                    var kept = required.Where(r => r is not null && !(properties[r.GetValue<string>()] is JsonObject p && AllowsNull(p)))
                        .Select(r => (JsonNode?)JsonValue.Create(r!.GetValue<string>())).ToArray();
                    obj["required"] = new JsonArray(kept);
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    Visit(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array.ToList())
                {
                    Visit(child);
                }

                break;
        }
    }

    private static bool AllowsNull(JsonObject schema) => schema["type"] switch
    {
        JsonValue single => single.GetValueKind() == JsonValueKind.String && single.GetValue<string>() == "null",
        JsonArray types => types.Any(t => t?.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "null"),
        _ => (schema["anyOf"] ?? schema["oneOf"]) is JsonArray options && options.OfType<JsonObject>().Any(AllowsNull),
    };
}

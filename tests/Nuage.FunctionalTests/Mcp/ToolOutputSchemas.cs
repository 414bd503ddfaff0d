using System.Runtime.CompilerServices;
using System.Text.Json;
using Json.Schema;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>
/// Checks tool results against the outputSchema the server declares in tools/list, with a real JSON Schema validator
/// (JsonSchema.Net, 2020-12, formats asserted). McpHarness.CallAsync runs it on every successful call, so every test
/// that calls a tool also proves its payload matches its schema.
/// </summary>
internal static class ToolOutputSchemas
{
    private static readonly ConditionalWeakTable<McpClient, Task<Dictionary<string, JsonElement>>> Declared = new();

    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static async Task AssertMatchesAsync(McpClient client, string tool, CallToolResult result)
    {
        if (result.IsError == true)
        {
            return;
        }

        var schemas = await Declared.GetValue(client, ListAsync);
        Assert.True(schemas.TryGetValue(tool, out var schema), $"{tool} declares no outputSchema in tools/list");
        Assert.True(result.StructuredContent is not null, $"{tool} returned no structuredContent");
        var problems = Problems(schema, result.StructuredContent!.Value);
        Assert.True(problems.Count == 0, $"{tool}'s structuredContent does not match its outputSchema:\n{string.Join("\n", problems)}\n{result.StructuredContent}");
    }

    /// <summary>Why <paramref name="instance"/> does not match <paramref name="schema"/>; empty when it does.</summary>
    public static IReadOnlyList<string> Problems(JsonElement schema, JsonElement instance)
    {
        var built = JsonSchema.FromText(schema.GetRawText(), baseUri: new Uri($"urn:nuage-test:{Guid.NewGuid():N}"));
        var results = built.Evaluate(instance, Strict);
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))];
    }

    /// <summary>Where a schema uses a boolean subschema (true/false in place of an object schema).</summary>
    public static IReadOnlyList<string> BooleanSubschemas(JsonElement schema, string path)
    {
        var found = new List<string>();
        Walk(schema, path, found);
        return found;
    }

    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    private static readonly string[] SchemaValues = ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"];
    private static readonly string[] SchemaLists = ["anyOf", "oneOf", "allOf", "prefixItems"];

    private static void Walk(JsonElement schema, string path, List<string> found)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            found.Add(path);
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var key in SchemaMaps)
        {
            if (schema.TryGetProperty(key, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    Walk(entry.Value, $"{path}/{key}/{entry.Name}", found);
                }
            }
        }

        foreach (var key in SchemaValues)
        {
            if (schema.TryGetProperty(key, out var value))
            {
                Walk(value, $"{path}/{key}", found);
            }
        }

        foreach (var key in SchemaLists)
        {
            if (schema.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    Walk(item, $"{path}/{key}/{i++}", found);
                }
            }
        }
    }

    private static async Task<Dictionary<string, JsonElement>> ListAsync(McpClient client)
    {
        var tools = await client.ListToolsAsync();
        return tools.Where(t => t.ProtocolTool.OutputSchema is not null)
            .ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema!.Value, StringComparer.Ordinal);
    }
}

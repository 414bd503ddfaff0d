using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nuage.Core.Variables;

/// <summary>
/// JSON Schema (draft 2020-12) of an app's configuration: an object whose properties are its variables.
/// Served at <c>/v1/variables/schema</c> for editors and agents. Values are text, as in an environment; booleans
/// and numbers may also be given as JSON booleans and numbers. Matching of tokens is case-insensitive and
/// ignores surrounding spaces in Nuage; the schema lists the canonical lowercase spellings.
/// </summary>
public static class VariableSchema
{
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The schema as a JSON tree; <paramref name="runtime"/> limits it to the variables of one runtime.</summary>
    public static JsonObject Generate(VariableRegistry registry, HostVersions versions, string? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var properties = new JsonObject();
        var patterns = new JsonObject();
        foreach (var definition in registry.ForRuntime(runtime).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            properties[definition.Name] = Property(definition, versions, alias: null);
            foreach (var alias in definition.DeprecatedAliases)
            {
                properties[alias] = Property(definition, versions, alias);
            }

            if (definition.Indexed)
            {
                patterns[$"^{definition.Name}_(0|[1-9][0-9]{{0,2}})$"] = Property(definition, versions, alias: null);
            }
        }

        return new JsonObject
        {
            ["$schema"] = Dialect,
            ["$id"] = runtime is null ? "urn:nuage:variables" : $"urn:nuage:variables:{runtime}",
            ["title"] = runtime is null ? "Nuage app variables" : $"Nuage app variables ({runtime})",
            ["description"] = "Deployment variables of a Nuage app. Other names are the app's own variables (text).",
            ["type"] = "object",
            ["properties"] = properties,
            ["patternProperties"] = patterns,
            ["additionalProperties"] = new JsonObject { ["type"] = "string" },
        };
    }

    /// <summary>The schema as indented JSON text.</summary>
    public static string GenerateJson(VariableRegistry registry, HostVersions versions, string? runtime = null) =>
        Generate(registry, versions, runtime).ToJsonString(Indented);

    private static JsonObject Property(VariableDefinition definition, HostVersions versions, string? alias)
    {
        var property = new JsonObject();
        definition.Type.DescribeSchema(property, versions);
        var description = definition.Description;
        if (definition.Status == VariableStatus.RecognisedUnsupported)
        {
            description = "Recognised, not supported by Nuage yet (no effect). " + description;
        }

        if (alias is not null)
        {
            description = $"Deprecated: use {definition.Name}. " + description;
            property["deprecated"] = true;
        }

        property["description"] = description;
        if (definition.DefaultText is { } defaultText)
        {
            property["default"] = defaultText;
        }

        if (definition.ReadOnly)
        {
            property["readOnly"] = true;
        }

        if (definition.Secret)
        {
            property["writeOnly"] = true;
        }

        property["x-nuage-kind"] = definition.Type.Kind.ToString().ToLowerInvariant();
        property["x-nuage-status"] = VariableInfo.StatusText(definition.Status);
        if (definition.Runtimes.Count > 0)
        {
            property["x-nuage-runtimes"] = new JsonArray([.. definition.Runtimes.Select(r => (JsonNode)r)]);
        }

        return property;
    }
}

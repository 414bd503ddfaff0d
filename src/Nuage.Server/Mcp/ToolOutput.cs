using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace Nuage.Server.Mcp;

/// <summary>
/// What every tool returns as structured content: <c>{ data, summary, next }</c> plus optional <c>source</c>/<c>policy</c>
/// notes; a failed call carries <c>{ code, message }</c> instead (and <c>isError</c> on the result).
/// </summary>
/// <typeparam name="TData">
/// The tool's own result type. Each tool declares <c>OutputSchemaType = typeof(ToolOutput&lt;ItsData&gt;)</c>, so the
/// outputSchema in tools/list is generated from the very type the tool serialises: schema and payload cannot drift.
/// </typeparam>
public sealed record ToolOutput<TData>
{
    /// <summary>The result itself (shape per tool, see docs/mcp.md).</summary>
    public TData? Data { get; init; }

    /// <summary>One sentence a human can read.</summary>
    public string? Summary { get; init; }

    /// <summary>Suggested follow-up calls.</summary>
    public IReadOnlyList<NextCall>? Next { get; init; }

    /// <summary>Where the values come from, when that explains them.</summary>
    public string? Source { get; init; }

    /// <summary>Why a value is hidden or limited (e.g. redacted secrets).</summary>
    public string? Policy { get; init; }

    /// <summary>True when this result is the stored answer to an earlier call with the same idempotencyKey (nothing was applied again).</summary>
    public bool? Replayed { get; init; }

    /// <summary>On failure: UNAUTHORIZED, FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT, RATE_LIMIT_EXCEEDED, UNAVAILABLE or INTERNAL.</summary>
    public string? Code { get; init; }

    /// <summary>On failure: what went wrong and what is accepted.</summary>
    public string? Message { get; init; }
}

/// <summary>Never instantiated: the data type of a failed call's output, which carries no data.</summary>
internal sealed record ToolFailure;

/// <summary>A follow-up call an agent may make next, with its arguments.</summary>
public sealed record NextCall(string Tool, IReadOnlyDictionary<string, string> Arguments, string Why);

internal static class ToolResults
{
    /// <summary>Shared by every server in the process (tests run several at once): made read-only up front so no
    /// first use can race to configure it.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    public static CallToolResult Success<TData>(ToolOutput<TData> output, params string[] extraText)
    {
        var structured = JsonSerializer.SerializeToElement(output, Json);
        var content = new List<ContentBlock> { new TextContentBlock { Text = output.Summary + "\n" + structured.GetRawText() } };
        content.AddRange(extraText.Select(t => new TextContentBlock { Text = t }));
        return new CallToolResult { StructuredContent = structured, Content = content, IsError = false };
    }

    public static CallToolResult Error(string code, string message)
    {
        var output = new ToolOutput<ToolFailure> { Code = code, Message = message };
        var structured = JsonSerializer.SerializeToElement(output, Json);
        return new CallToolResult
        {
            StructuredContent = structured,
            Content = [new TextContentBlock { Text = $"{code}: {message}" }],
            IsError = true,
        };
    }

    public static NextCall Next(string tool, string why, params (string Name, string? Value)[] arguments) =>
        new(tool, arguments.Where(a => a.Value is not null).ToDictionary(a => a.Name, a => a.Value!, StringComparer.Ordinal), why);
}

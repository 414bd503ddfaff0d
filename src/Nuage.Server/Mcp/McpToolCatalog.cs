using System.Collections.Frozen;
using System.Reflection;
using ModelContextProtocol.Server;

namespace Nuage.Server.Mcp;

/// <summary>Every MCP tool this server offers and whether it only reads, read once from the tool attributes.</summary>
internal static class McpToolCatalog
{
    public static FrozenDictionary<string, bool> ReadOnlyByName { get; } = typeof(NuageTools)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .Select(m => m.GetCustomAttribute<McpServerToolAttribute>())
        .OfType<McpServerToolAttribute>()
        .ToFrozenDictionary(a => a.Name!, a => a.ReadOnly, StringComparer.Ordinal);

    /// <summary>Unknown tools count as changes, so nothing escapes the audit trail by accident.</summary>
    public static bool IsMutating(string tool) => !ReadOnlyByName.TryGetValue(tool, out var readOnly) || !readOnly;
}

using System.Text.Json;
using Nuage.Build.Planning;

namespace Nuage.Server.Releases;

/// <summary>A built release's start plan, stored with its deployment so rollbacks and restarts need no rebuild.</summary>
internal static class StartPlanJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string Write(StartPlan plan) => JsonSerializer.Serialize(plan, Json);

    public static StartPlan Read(string json) => JsonSerializer.Deserialize<StartPlan>(json, Json)
        ?? throw new JsonException("empty start plan");
}

using System.Text.Json;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Formatting;

/// <summary>JSON documents for the http (plain NDJSON) and elasticsearch (Elastic Common Schema) drains.</summary>
internal static class JsonFormatters
{
    public const string EcsVersion = "8.11.0";

    /// <summary>One NDJSON line of the http drain.</summary>
    public static void WritePlain(Utf8JsonWriter json, StoredLogRecord stored, string appName)
    {
        var r = stored.Record;
        json.WriteStartObject();
        json.WriteString("timestamp", r.Timestamp.UtcDateTime);
        json.WriteNumber("sequence", stored.Sequence);
        json.WriteString("app", appName);
        json.WriteString("app_id", r.AppId);
        json.WriteString("source", r.Source.ToString().ToLowerInvariant());
        WriteOptional(json, "instance", r.InstanceId);
        WriteOptional(json, "deployment", r.DeploymentId);
        WriteOptional(json, "stream", r.Stream);
        WriteOptional(json, "trace_id", r.TraceId);
        json.WriteString("message", r.Message);
        json.WriteEndObject();
    }

    /// <summary>One ECS document for the elasticsearch drain.</summary>
    public static void WriteEcs(Utf8JsonWriter json, StoredLogRecord stored, string appName, string hostname)
    {
        var r = stored.Record;
        json.WriteStartObject();
        json.WriteString("@timestamp", r.Timestamp.UtcDateTime);
        json.WriteString("message", r.Message);
        json.WriteStartObject("log");
        json.WriteString("level", SyslogFormatter.Severity(r) == 3 ? "error" : "info");
        json.WriteEndObject();
        json.WriteStartObject("service");
        json.WriteString("name", appName);
        if (r.InstanceId is not null)
        {
            json.WriteStartObject("node");
            json.WriteString("name", r.InstanceId);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartObject("host");
        json.WriteString("name", hostname);
        json.WriteEndObject();
        json.WriteStartObject("event");
        json.WriteString("dataset", "nuage." + r.Source.ToString().ToLowerInvariant());
        json.WriteNumber("sequence", stored.Sequence);
        json.WriteEndObject();
        if (r.TraceId is not null)
        {
            json.WriteStartObject("trace");
            json.WriteString("id", r.TraceId);
            json.WriteEndObject();
        }

        json.WriteStartObject("labels");
        json.WriteString("app_id", r.AppId);
        WriteOptional(json, "deployment_id", r.DeploymentId);
        WriteOptional(json, "stream", r.Stream);
        json.WriteEndObject();
        json.WriteStartObject("ecs");
        json.WriteString("version", EcsVersion);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}

using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Nuage.Server.Deployments;

namespace Nuage.Server.Metrics;

/// <summary>
/// Exports the spans of platform operations (ActivitySource <c>Nuage.Deployments</c>) over OTLP/HTTP protobuf to
/// <c>{endpoint}/v1/traces</c> when <c>nuage server --otlp-endpoint</c> is given.
/// </summary>
internal static class OtlpTracing
{
    public static TracerProvider? Create(string? endpoint, string hostName)
    {
        if (endpoint is null)
        {
            return null;
        }

        var traces = new Uri(endpoint.TrimEnd('/') + "/v1/traces");
        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("nuage", serviceInstanceId: hostName))
            .AddSource(DeploymentTelemetry.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = traces;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();
    }
}

/// <summary>Owns the tracer provider for the API host's lifetime (the container disposes it, flushing pending spans).</summary>
internal sealed class TraceExport(TracerProvider? provider) : IDisposable
{
    public void Dispose() => provider?.Dispose();
}

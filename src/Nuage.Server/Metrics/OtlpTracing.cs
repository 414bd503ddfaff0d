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
    /// <summary>Null without an endpoint; then no OpenTelemetry assembly is even loaded (a smaller idle server).</summary>
    public static IDisposable? Create(string? endpoint, string hostName) => endpoint is null ? null : Build(endpoint, hostName);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static TracerProvider Build(string endpoint, string hostName)
    {
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
internal sealed class TraceExport(IDisposable? provider) : IDisposable
{
    public void Dispose() => provider?.Dispose();
}

using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Tests.Shared;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Logs;

public sealed class TracingTests
{
    /// <summary>
    /// The receiver is a STAND-IN that decodes the spans' wire format itself (a Kestrel endpoint taking OTLP/HTTP protobuf
    /// at /v1/traces), kept beside the test against the real Aspire dashboard below as a check of the bytes on the wire.
    /// </summary>
    [Fact]
    public async Task Deployment_WithOtlpEndpoint_ExportsDeploymentSpanWithStageChildren_ToOtlpStandIn()
    {
        await using var receiver = await OtlpTraceStandIn.StartAsync();
        await using var server = await RunningServer.StartAsync(o => new Nuage.Server.Hosting.NuageServerOptions
        {
            DataDirectory = o.DataDirectory,
            Api = o.Api,
            Http = o.Http,
            OtlpEndpoint = receiver.Url,
        });
        var appId = await CreateAppAsync(server, "web");

        await DeployExampleAsync(server, "web", "node");

        await UntilAsync(
            () => Task.FromResult(receiver.Spans.Any(s => s.Name == "deploy" && s.Attributes.GetValueOrDefault("nuage.app.id") == appId)),
            $"the deployment span at the receiver (got {receiver.Requests} requests: {string.Join(", ", receiver.Spans.Select(s => s.Name))})",
            seconds: 60);
        var root = receiver.Spans.First(s => s.Name == "deploy" && s.Attributes.GetValueOrDefault("nuage.app.id") == appId);
        await UntilAsync(() => Task.FromResult(receiver.Spans.Count(s => s.ParentSpanId == root.SpanId) >= 3), "stage spans", seconds: 60);
        var stages = receiver.Spans.Where(s => s.ParentSpanId == root.SpanId).ToList();
        Assert.Equal("succeeded", root.Attributes["nuage.deployment.outcome"]);
        Assert.All(stages, s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.All(stages, s => Assert.StartsWith("deploy.", s.Name, StringComparison.Ordinal));
        Assert.Contains(stages, s => s.Attributes.GetValueOrDefault("nuage.stage.state") == "succeeded");
    }

    /// <summary>The same deployment traces at a real OTLP receiver: the Aspire dashboard, read back through its telemetry API.</summary>
    [Fact]
    public async Task Deployment_WithOtlpEndpointAtAspireDashboard_DeploySpanWithStageChildrenArrivesUnderNuageService()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        await using var server = await RunningServer.StartAsync(o => new Nuage.Server.Hosting.NuageServerOptions
        {
            DataDirectory = o.DataDirectory,
            Api = o.Api,
            Http = o.Http,
            OtlpEndpoint = dashboard.OtlpHttpUrl,
        });
        var appId = await CreateAppAsync(server, "web");

        await DeployExampleAsync(server, "web", "node");

        bool IsRoot(OtlpSpan s) => s.Name == "deploy" && s.Attributes.GetValueOrDefault("nuage.app.id") == appId;
        var spans = await dashboard.UntilAsync(d => d.SpansAsync(), all => all.Any(IsRoot), "the deploy span");
        var root = spans.First(IsRoot);
        spans = await dashboard.UntilAsync(
            d => d.SpansAsync(), all => all.Count(s => s.ParentSpanId == root.SpanId && s.TraceId == root.TraceId) >= 3, "the deploy.<stage> child spans");
        var stages = spans.Where(s => s.ParentSpanId == root.SpanId && s.TraceId == root.TraceId).ToList();

        Assert.Equal("nuage", root.Resource["service.name"]);
        Assert.Equal(Environment.MachineName, root.Resource["service.instance.id"]);
        Assert.Equal("succeeded", root.Attributes["nuage.deployment.outcome"]);
        Assert.False(string.IsNullOrEmpty(root.Attributes.GetValueOrDefault("nuage.deployment.id")), "the deploy span names its deployment id");
        Assert.All(stages, s => Assert.StartsWith("deploy.", s.Name, StringComparison.Ordinal));
        Assert.All(stages, s => Assert.Equal(s.Name["deploy.".Length..], s.Attributes["nuage.stage"]));
        Assert.All(stages, s => Assert.Equal("nuage", s.Resource["service.name"]));
        Assert.Contains(stages, s => s.Attributes.GetValueOrDefault("nuage.stage.state") == "succeeded");
    }

    private sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name, Dictionary<string, string> Attributes);

    private sealed class OtlpTraceStandIn : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpTraceStandIn(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<Span> Received { get; } = new();

        public int Requests => _requests;

        private int _requests;

        public IReadOnlyList<Span> Spans => [.. Received];

        public static async Task<OtlpTraceStandIn> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            OtlpTraceStandIn? standIn = null;
            app.MapPost("/v1/traces", async (HttpContext http) =>
            {
                Interlocked.Increment(ref standIn!._requests);
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                foreach (var span in Decode(body.ToArray()))
                {
                    standIn!.Received.Enqueue(span);
                }

                http.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            standIn = new OtlpTraceStandIn(app, url);
            return standIn;
        }

        /// <summary>ExportTraceServiceRequest{1 resource_spans{2 scope_spans{2 spans}}}; Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes}.</summary>
        private static IEnumerable<Span> Decode(byte[] request)
        {
            foreach (var resourceSpans in Fields(request, 1))
            {
                foreach (var scopeSpans in Fields(resourceSpans, 2))
                {
                    foreach (var span in Fields(scopeSpans, 2))
                    {
                        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var keyValue in Fields(span, 9))
                        {
                            var key = Fields(keyValue, 1).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault() ?? string.Empty;
                            var value = Fields(keyValue, 2).SelectMany(v => Fields(v, 1)).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault();
                            if (value is not null)
                            {
                                attributes[key] = value;
                            }
                        }

                        yield return new Span(
                            Hex(span, 1), Hex(span, 2), Hex(span, 4),
                            Fields(span, 5).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault() ?? string.Empty,
                            attributes);
                    }
                }
            }
        }

        private static string Hex(byte[] message, int field) => Convert.ToHexStringLower(Fields(message, field).FirstOrDefault() ?? []);

        /// <summary>The length-delimited values of one field number; other fields are skipped.</summary>
        private static List<byte[]> Fields(byte[] message, int field)
        {
            var result = new List<byte[]>();
            var input = new CodedInputStream(message);
            while (!input.IsAtEnd)
            {
                var tag = input.ReadTag();
                if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    result.Add(input.ReadBytes().ToByteArray());
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return result;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

using System.Diagnostics.Metrics;

namespace Nuage.Server.Mcp;

/// <summary>Meter "Nuage.Mcp": tool calls by tool and outcome, and their duration (exported at /metrics).</summary>
internal sealed class McpMetrics : IDisposable
{
    public const string MeterName = "Nuage.Mcp";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    /// <summary>Created through the server's own meter factory, so its /metrics exporter sees it (and no other server's).</summary>
    public McpMetrics(Metrics.PlatformMeters meters)
    {
        _meter = meters.Create(new MeterOptions(MeterName));
        _calls = _meter.CreateCounter<long>("nuage.mcp.tool.calls", "{call}", "MCP tool calls, by tool and outcome (ok or an error code).");
        _duration = _meter.CreateHistogram<double>("nuage.mcp.tool.duration", "ms", "Duration of MCP tool calls.");
    }

    public void Record(string tool, string outcome, double milliseconds)
    {
        var tags = new KeyValuePair<string, object?>[] { new("tool", tool), new("outcome", outcome) };
        _calls.Add(1, tags);
        _duration.Record(milliseconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}

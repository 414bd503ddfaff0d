using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Router.Metrics;

namespace Nuage.Router.AccessLog;

/// <summary>
/// Hands access-log entries to the <see cref="ILogSink"/> from a background task, so a slow sink never delays a request.
/// The queue is bounded; when full, entries are dropped and counted (metric <c>nuage.router.access_log.dropped</c>).
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    private readonly Channel<AccessLogEntry> _queue;
    private readonly ILogSink _sink;
    private readonly ILogger _logger;
    private readonly Task _pump;

    public AccessLogWriter(ILogSink sink, int capacity, RouterMetrics metrics, ILogger logger)
    {
        _sink = sink;
        _logger = logger;
        _queue = Channel.CreateBounded<AccessLogEntry>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => metrics.AccessLogDropped());
        _pump = Task.Run(PumpAsync);
    }

    public void Enqueue(in AccessLogEntry entry) => _queue.Writer.TryWrite(entry);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    /// <summary>logfmt: <c>method=GET path=/ status=200 bytes=12 duration_ms=0.8 request_id=… instance=…</c>.</summary>
    internal static string Format(in AccessLogEntry entry)
    {
        var line = new StringBuilder(160);
        line.Append("method=").Append(entry.Method)
            .Append(" path=").Append(Quote(entry.Path))
            .Append(" status=").Append(entry.Status.ToString(CultureInfo.InvariantCulture))
            .Append(" bytes=").Append(entry.Bytes.ToString(CultureInfo.InvariantCulture))
            .Append(" duration_ms=").Append(entry.DurationMs.ToString("0.###", CultureInfo.InvariantCulture))
            .Append(" request_id=").Append(Quote(entry.RequestId));
        if (entry.InstanceId is not null)
        {
            line.Append(" instance=").Append(entry.InstanceId);
        }

        return line.ToString();
    }

    /// <summary>Trace id (32 hex) of a W3C <c>traceparent</c> (<c>00-&lt;trace-id&gt;-&lt;parent-id&gt;-&lt;flags&gt;</c>), when well-formed.</summary>
    internal static string? TraceId(string? traceParent) =>
        traceParent is { Length: >= 55 } && traceParent[2] == '-' && traceParent[35] == '-'
        && traceParent.AsSpan(3, 32).ContainsAnyExcept("0123456789abcdef") is false
            ? traceParent.Substring(3, 32)
            : null;

    private static string Quote(string value) =>
        value.Length > 0 && value.AsSpan().IndexOfAny(" \"=\\") < 0 ? value : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private async Task PumpAsync()
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync())
        {
            try
            {
                _sink.Write(new LogRecord(entry.Time, entry.AppId, LogSource.Access, Format(entry), entry.InstanceId, entry.DeploymentId, null, TraceId(entry.TraceParent)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogMessages.AccessLogSinkFailed(_logger, e);
            }
        }
    }
}

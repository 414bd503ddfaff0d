using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Router.Metrics;

namespace Nuage.Router.AccessLog;

/// <summary>
/// Hands access-log entries to the <see cref="ILogSink"/> from a background loop that writes what arrived during each
/// <see cref="FlushInterval"/>, so neither a slow sink nor a wake-up per request costs the hot path anything but a
/// lock-free enqueue. The loop sleeps while no request comes: the first entry after a quiet spell wakes it, so an idle
/// router wakes no thread. The queue is bounded; when full, entries are dropped and counted (metric
/// <c>nuage.router.access_log.dropped</c>).
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<AccessLogEntry> _queue = new();
    private readonly ILogSink _sink;
    private readonly int _capacity;
    private readonly RouterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public AccessLogWriter(ILogSink sink, int capacity, RouterMetrics metrics, ILogger logger, TimeProvider time)
    {
        _sink = sink;
        _capacity = capacity;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _pump = Task.Run(PumpAsync);
    }

    public void Enqueue(in AccessLogEntry entry)
    {
        var count = Interlocked.Increment(ref _count);
        if (count > _capacity)
        {
            Interlocked.Decrement(ref _count);
            _metrics.AccessLogDropped();
            return;
        }

        _queue.Enqueue(entry);
        if (count == 1)
        {
            Volatile.Read(ref _arrived).TrySetResult(); // the first entry after a quiet spell
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    /// <summary>logfmt: <c>method=GET path=/ status=200 bytes=12 duration_ms=0.8 request_id=… instance=…</c>.</summary>
    internal static string Format(in AccessLogEntry entry)
    {
        // One pass into a stack buffer (no StringBuilder); values are quoted only when they need it.
        var line = new DefaultInterpolatedStringHandler(64, 8, CultureInfo.InvariantCulture, stackalloc char[256]);
        line.AppendLiteral("method=");
        line.AppendFormatted(entry.Method);
        line.AppendLiteral(" path=");
        AppendQuoted(ref line, entry.Path);
        line.AppendLiteral(" status=");
        line.AppendFormatted(entry.Status);
        line.AppendLiteral(" bytes=");
        line.AppendFormatted(entry.Bytes);
        line.AppendLiteral(" duration_ms=");
        line.AppendFormatted(entry.DurationMs, "0.###");
        line.AppendLiteral(" request_id=");
        AppendQuoted(ref line, entry.RequestId);
        if (entry.InstanceId is not null)
        {
            line.AppendLiteral(" instance=");
            line.AppendFormatted(entry.InstanceId);
        }

        return line.ToStringAndClear();
    }

    private static void AppendQuoted(ref DefaultInterpolatedStringHandler line, string value)
    {
        if (value.Length > 0 && value.AsSpan().IndexOfAny(" \"=\\") < 0)
        {
            line.AppendFormatted(value);
            return;
        }

        line.AppendFormatted(Quote(value));
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
        try
        {
            while (true)
            {
                // Arm before looking: an entry counted after this exchange completes the new source. Both sides are
                // full fences (Exchange here, Increment in Enqueue), so one of them sees the other's write.
                var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Exchange(ref _arrived, arrived);
                if (Volatile.Read(ref _count) == 0)
                {
                    await arrived.Task.WaitAsync(_stop.Token);
                }

                await Task.Delay(FlushInterval, _time, _stop.Token); // gather a batch
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: write what is left below.
        }

        Drain();
    }

    private void Drain()
    {
        while (_queue.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _count);
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

using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Logs.Metrics;

namespace Nuage.Logs.Storage;

/// <summary>
/// One app's log: a SQLite file (WAL) written by a single background writer that batches records into transactions.
/// Readers open their own pooled connections, so queries and follows never block ingestion.
/// </summary>
internal sealed partial class AppLog : IAsyncDisposable
{
    private readonly LogStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogsMetrics _metrics;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _tailerSlots;
    private readonly SqliteConnection _writer;
    private readonly Task _writerTask;
    private TaskCompletionSource _changed = NewSignal();
    private long _lastSequence;
    private long _lastTicks;
    private int _pendingSink;

    public AppLog(string appId, LogStoreOptions options, TimeProvider time, ILogger logger, LogsMetrics metrics)
    {
        AppId = appId;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _tailerSlots = new SemaphoreSlim(options.TailerQueueBatches, options.TailerQueueBatches);
        DatabasePath = Path.Combine(options.Directory, appId + ".db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true }.ToString();
        _writer = OpenWriter();
        _writerTask = Task.Run(WriteLoopAsync);
    }

    public string AppId { get; }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Completes at the next commit; take it before reading so no commit is missed.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Queues a record from the in-process sink; false (and counted as dropped) when the sink queue is full.</summary>
    public bool TryEnqueue(LogRecord record)
    {
        if (Interlocked.Increment(ref _pendingSink) > _options.SinkCapacity)
        {
            Interlocked.Decrement(ref _pendingSink);
            return false;
        }

        if (!_queue.Writer.TryWrite(new WriteItem { Record = record, FromSink = true }))
        {
            Interlocked.Decrement(ref _pendingSink);
            return false;
        }

        return true;
    }

    /// <summary>Queues a tailer batch and the file offset reached; waits (backpressure) while the writer is behind.
    /// The writer takes ownership of <paramref name="lines"/> only when the call succeeds.</summary>
    public async Task<Task<long>> EnqueueTailerBatchAsync(LineBatch lines, string offsetKey, long offset, CancellationToken ct)
    {
        await _tailerSlots.WaitAsync(ct);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new WriteItem { Lines = lines, OffsetKey = offsetKey, Offset = offset, FromTailer = true, Done = done };
        if (!_queue.Writer.TryWrite(item))
        {
            _tailerSlots.Release();
            throw new ObjectDisposedException(nameof(AppLog));
        }

        return done.Task;
    }

    /// <summary>Completes once everything queued before the call is committed.</summary>
    public Task<long> FlushAsync() => EnqueueControl(retention: false);

    public Task<long> RunRetentionAsync() => EnqueueControl(retention: true);

    /// <summary>Called by a (re)starting tailer: clears a failed state and waits for earlier batches, then returns the committed offset.</summary>
    public async Task<long> ResetTailerAsync(string key)
    {
        await EnqueueControl(retention: false, resetKey: key);
        return ReadOffset(key) ?? 0;
    }

    private Task<long> EnqueueControl(bool retention, string? resetKey = null)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WriteItem { Retention = retention, ResetKey = resetKey, Done = done }))
        {
            done.SetException(new ObjectDisposedException(nameof(AppLog)));
        }

        return done.Task;
    }

    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerTask;
        _insert?.Dispose();
        _forgetOffset?.Dispose();
        await _writer.DisposeAsync();
        _tailerSlots.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        var previous = Interlocked.Exchange(ref _changed, NewSignal());
        previous.TrySetResult();
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Metrics;

namespace Nuage.Logs.Storage;

/// <summary>
/// The embedded log store: one SQLite file per app, written by one batching writer per app, read by queries and
/// follows. Every record gets a per-app sequence number (the position cursors and follows resume from).
/// </summary>
public sealed partial class LogStore : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AppLog>> _apps = new(StringComparer.Ordinal);
    private readonly LogStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _retentionLoop;
    private int _disposed;

    public LogStore(LogStoreOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, LogsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidLogOptions, options.Validate());
        _options = options;
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<LogStore>();
        Metrics = metrics ?? new LogsMetrics();
        Directory.CreateDirectory(options.Directory);
        Sink = new LogStoreSink(this);
        foreach (var file in Directory.EnumerateFiles(options.Directory, "*.db"))
        {
            var appId = Path.GetFileNameWithoutExtension(file);
            if (IsValidAppId(appId) && appId != DrainsDatabaseName)
            {
                Get(appId);
            }
        }

        _retentionLoop = Task.Run(RetentionLoopAsync);
    }

    internal const string DrainsDatabaseName = "drains";

    public LogStoreOptions Options => _options;

    public TimeProvider Time => _time;

    public LogsMetrics Metrics { get; }

    /// <summary>The non-blocking sink for records produced inside the server.</summary>
    public ILogSink Sink { get; }

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    public IReadOnlyCollection<string> AppIds => _apps.Keys.ToList();

    /// <summary>Records matching <paramref name="query"/>, ascending by sequence.</summary>
    public async Task<IReadOnlyList<StoredLogRecord>> QueryAsync(string appId, LogQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await Get(appId).QueryAsync(query, upTo: null, ct);
    }

    /// <summary>
    /// Streams records after <paramref name="afterSequence"/> (null: only records committed from now on), waking on
    /// each commit. Resuming with the last sequence seen gives every later record exactly once.
    /// </summary>
    public async IAsyncEnumerable<StoredLogRecord> FollowAsync(
        string appId, long? afterSequence, LogFilter? filter = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var app = Get(appId);
        var after = afterSequence ?? app.LastSequence;
        var query = new LogQuery { Filter = filter ?? LogFilter.All, Limit = 1000 };
        while (!ct.IsCancellationRequested)
        {
            var changed = app.Changed;
            var upTo = app.LastSequence;
            if (upTo > after)
            {
                var page = await app.QueryAsync(query with { AfterSequence = after }, upTo, ct);
                foreach (var record in page)
                {
                    yield return record;
                }

                after = page.Count == query.Limit ? page[^1].Sequence : upTo;
                continue;
            }

            await changed.WaitAsync(ct);
        }
    }

    public Task<AppLogStats> GetStatsAsync(string appId, CancellationToken ct = default) => Get(appId).StatsAsync(ct);

    /// <summary>Completes once every record queued for the app before the call is committed.</summary>
    public Task FlushAsync(string appId) => Get(appId).FlushAsync();

    /// <summary>Applies age and size retention to every app now (it also runs every RetentionInterval).</summary>
    public async Task RunRetentionAsync()
    {
        foreach (var app in _apps.Values)
        {
            await app.Value.RunRetentionAsync();
        }
    }

    /// <summary>Removes an app's records and files (the app was deleted).</summary>
    public async Task DeleteAppAsync(string appId)
    {
        if (_apps.TryRemove(appId, out var app) && app.IsValueCreated)
        {
            await app.Value.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(app.Value.DatabasePath + suffix);
            }
        }
    }

    internal void Enqueue(LogRecord record)
    {
        if (!IsValidAppId(record.AppId))
        {
            Metrics.Dropped("invalid", 1);
            return;
        }

        if (TryGetForWrite(record) is not { } app)
        {
            return;
        }

        if (!app.TryEnqueue(record with { Timestamp = _time.GetUtcNow() }))
        {
            Metrics.Dropped(record.AppId, 1);
        }
    }

    internal AppLog Get(string appId)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!IsValidAppId(appId))
        {
            throw NuageException.Invalid("app", appId, "an app id is 1-100 characters of a-z, A-Z, 0-9, '.', '_' and '-', not starting with '.'");
        }

        var lazy = _apps.GetOrAdd(appId, id => new Lazy<AppLog>(
            () => new AppLog(id, _options, _time, _loggerFactory.CreateLogger<AppLog>(), Metrics)));
        try
        {
            var app = lazy.Value;
            ReplayWaiting(app);
            return app;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Lazy keeps a failure forever; forget it so the next use tries again (e.g. once a full disk has room).
            _apps.TryRemove(new KeyValuePair<string, Lazy<AppLog>>(appId, lazy));
            throw;
        }
    }

    internal static bool IsValidAppId(string? appId) => appId is { Length: > 0 and <= 100 } && AppIdPattern().IsMatch(appId);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AppIdPattern();

    private async Task RetentionLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.RetentionInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await RunRetentionAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops the writers after committing everything queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _retentionLoop;
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated))
        {
            await app.Value.DisposeAsync();
        }

        _apps.Clear();
        _stopping.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Logs.Drains.Network;
using Nuage.Logs.Drains.Transports;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains;

/// <summary>
/// Drain definitions (create, list, enable, disable, delete) and their delivery loops, one per enabled drain.
/// A new drain starts at the end of the app's log (it delivers lines written from its creation on). Definitions live
/// in the state store (<see cref="IDrainStore"/>), cursors in the log store's drain-cursors.db.
/// </summary>
public sealed partial class DrainManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DrainWorker> _workers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LogStore _store;
    private readonly DrainOptions _options;
    private readonly IDrainStore _definitions;
    private readonly DrainCursors _cursors;
    private readonly IDrainSecretProtector _secrets;
    private readonly DrainDestinationPolicy _policy;
    private readonly DrainTransportFactory _transports;
    private readonly HttpClient _http;
    private readonly Random _random;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <param name="definitions">Where drain definitions are stored (the state store's drains).</param>
    /// <param name="random">Jitter source; pass a seeded one in tests.</param>
    /// <param name="secrets">Seals credentials before they are stored; the server passes its secret.key-based protector. Default: stored as given.</param>
    public DrainManager(LogStore store, IDrainStore definitions, DrainOptions? options = null, Random? random = null, IDrainSecretProtector? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(definitions);
        _store = store;
        _definitions = definitions;
        _options = options ?? new DrainOptions();
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidDrainOptions, _options.Validate());
        _secrets = secrets ?? PlaintextDrainSecrets.Instance;
        _cursors = new DrainCursors(store.Options.Directory);
        _policy = new DrainDestinationPolicy(_options);
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.Timeout,
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = ConnectAsync,
        }) { Timeout = _options.Timeout };
        _transports = new DrainTransportFactory(_options, _http, _policy, store.Time);
        _random = random ?? new Random();
        _logger = store.LoggerFactory.CreateLogger<DrainManager>();
    }

    /// <summary>Imports a legacy drains.db once, then starts the delivery loops of every enabled drain (call once at server start).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var imported = await LegacyDrainsDatabase.ImportAsync(_store.Options.Directory, _definitions, _cursors, ct);
            if (imported > 0)
            {
                LogImported(_logger, imported);
            }

            foreach (var (drain, progress) in await LoadAsync(null, ct))
            {
                if (drain.Enabled)
                {
                    StartWorker(drain, progress);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Validates and stores a drain, then starts it. Throws NuageException (invalid_drain) naming each bad field.</summary>
    public async Task<DrainConfig> CreateAsync(DrainSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = DrainValidator.Validate(spec).ToList();
        if (!LogStore.IsValidAppId(spec.AppId))
        {
            errors.Insert(0, new FieldError("app", spec.AppId, "use an existing app id"));
        }

        if (errors.Count == 0 && await _policy.CheckAsync(new Uri(spec.Url), ct) is { } refusal)
        {
            errors.Add(new FieldError("url", spec.Url, refusal));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidDrain, errors);
        }

        var drain = new DrainConfig
        {
            Id = "drain-" + Guid.NewGuid().ToString("N")[..12],
            AppId = spec.AppId,
            AppName = string.IsNullOrEmpty(spec.AppName) ? spec.AppId : spec.AppName,
            Type = spec.Type,
            Url = spec.Url,
            Username = Empty(spec.Username),
            Password = Empty(spec.Password),
            Token = Empty(spec.Token),
            SdParams = Empty(spec.SdParams),
            CreatedAt = _store.Time.GetUtcNow(),
        };
        await _gate.WaitAsync(ct);
        try
        {
            var progress = new DrainProgress(drain.Id, _store.Get(spec.AppId).LastSequence, 0, 0, 0, null, null, null);
            _cursors.Add(progress);
            await _definitions.InsertAsync(ToRecord(drain), ct);
            StartWorker(drain, progress);
        }
        finally
        {
            _gate.Release();
        }

        return drain.Redacted();
    }

    /// <summary>The app's drains with state, delivered count, backlog, last error and time. Credentials are redacted.</summary>
    public async Task<IReadOnlyList<DrainStatus>> ListAsync(string appId, CancellationToken ct = default)
    {
        var lastSequence = _store.Get(appId).LastSequence;
        return [.. (await LoadAsync(appId, ct)).Select(d => Status(d.Drain, d.Progress, lastSequence))];
    }

    public async Task<DrainStatus> GetAsync(string appId, string drainId, CancellationToken ct = default) =>
        (await ListAsync(appId, ct)).FirstOrDefault(d => d.Drain.Id == drainId)
        ?? throw NuageException.NotFound(ErrorCodes.DrainNotFound, $"app {appId} has no drain {drainId}");

    /// <summary>Enables (resumes from its cursor, catching up) or disables (stops delivery, keeps the cursor) a drain.</summary>
    public async Task SetEnabledAsync(string appId, string drainId, bool enabled, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!await _definitions.SetEnabledAsync(appId, drainId, enabled, ct))
            {
                throw NuageException.NotFound(ErrorCodes.DrainNotFound, $"app {appId} has no drain {drainId}");
            }

            await StopWorkerAsync(drainId);
            if (enabled)
            {
                var (drain, progress) = (await LoadAsync(appId, ct)).First(d => d.Drain.Id == drainId);
                StartWorker(drain, progress);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DeleteAsync(string appId, string drainId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await StopWorkerAsync(drainId);
            if (!await _definitions.DeleteAsync(appId, drainId, ct))
            {
                throw NuageException.NotFound(ErrorCodes.DrainNotFound, $"app {appId} has no drain {drainId}");
            }

            _cursors.Delete(drainId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops and removes every drain of a deleted app.</summary>
    public async Task DeleteAppAsync(string appId, CancellationToken ct = default)
    {
        foreach (var status in await ListAsync(appId, ct))
        {
            await DeleteAsync(appId, status.Drain.Id, ct);
        }
    }

    private DrainStatus Status(DrainConfig drain, DrainProgress stored, long lastSequence)
    {
        var worker = _workers.GetValueOrDefault(drain.Id);
        var progress = worker?.Progress ?? stored;
        var backlog = Math.Max(0, lastSequence - progress.Cursor);
        var (state, lastError, lastErrorAt) = (progress.LastError, progress.LastErrorAt) switch
        {
            _ when !drain.Enabled => (DrainStates.Disabled, progress.LastError, progress.LastErrorAt),
            _ when backlog > 0 && worker is not null && _store.Time.GetUtcNow() - worker.ProgressOrIdleAt > _options.StallAfter =>
                (DrainStates.Stalled, StalledError(worker, backlog, progress.LastError), progress.LastErrorAt ?? _store.Time.GetUtcNow()),
            (not null, { } at) when at >= (progress.LastDeliveryAt ?? DateTimeOffset.MinValue) => (DrainStates.Failing, progress.LastError, progress.LastErrorAt),
            _ => (DrainStates.Ok, progress.LastError, progress.LastErrorAt),
        };
        return new DrainStatus(drain.Redacted(), state, progress.Cursor, progress.Delivered, backlog,
            progress.Skipped, progress.Missed, lastError, lastErrorAt, progress.LastDeliveryAt);
    }

    private string StalledError(DrainWorker worker, long backlog, string? lastError)
    {
        if (lastError?.StartsWith("stalled", StringComparison.Ordinal) == true)
        {
            return lastError;
        }

        var seconds = (long)(_store.Time.GetUtcNow() - worker.ProgressOrIdleAt).TotalSeconds;
        return $"stalled: nothing delivered for {seconds} s with {backlog} line(s) waiting" + (lastError is null ? "" : $"; last error: {lastError}");
    }

    /// <summary>HTTP drains connect through the destination policy: every connect resolves the name and refuses what the policy refuses.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) =>
        new NetworkStream(await _policy.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, SocketType.Stream, ProtocolType.Tcp, ct), ownsSocket: true);

    private void StartWorker(DrainConfig drain, DrainProgress progress)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var worker = new DrainWorker(drain, progress, _store, _cursors, _transports.Create(drain), _options, _random,
            _store.LoggerFactory.CreateLogger<DrainWorker>());
        _workers[drain.Id] = worker;
        LogStarted(_logger, drain.Id, drain.AppId, drain.Type);
    }

    private async Task StopWorkerAsync(string drainId)
    {
        if (_workers.TryRemove(drainId, out var worker))
        {
            await worker.DisposeAsync();
        }
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Stops every delivery loop (cursors are already durable). Dispose before the LogStore.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var id in _workers.Keys.ToList())
        {
            await StopWorkerAsync(id);
        }

        _http.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Drain {DrainId} of app {AppId} ({Type}) started")]
    private static partial void LogStarted(ILogger logger, string drainId, string appId, string type);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Imported {Count} drain(s) from the legacy drains.db into the state store")]
    private static partial void LogImported(ILogger logger, int count);
}

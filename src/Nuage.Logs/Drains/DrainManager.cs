using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Logs.Drains.Transports;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains;

/// <summary>
/// Drain definitions (create, list, enable, disable, delete) and their delivery loops, one per enabled drain.
/// A new drain starts at the end of the app's log (it delivers lines written from its creation on).
/// </summary>
public sealed partial class DrainManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DrainWorker> _workers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LogStore _store;
    private readonly DrainOptions _options;
    private readonly DrainRepository _repository;
    private readonly DrainTransportFactory _transports;
    private readonly HttpClient _http;
    private readonly Random _random;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <param name="random">Jitter source; pass a seeded one in tests.</param>
    /// <param name="httpHandler">Handler for HTTP-based drains; a SocketsHttpHandler by default.</param>
    /// <param name="secrets">Seals credentials in drains.db; the server passes its secret.key-based protector. Default: stored as given.</param>
    public DrainManager(LogStore store, DrainOptions? options = null, Random? random = null, HttpMessageHandler? httpHandler = null, IDrainSecretProtector? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new DrainOptions();
        _options.Validate();
        _repository = new DrainRepository(store.Options.Directory, secrets ?? PlaintextDrainSecrets.Instance);
        _http = new HttpClient(httpHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = _options.Timeout };
        _transports = new DrainTransportFactory(_options, _http);
        _random = random ?? new Random();
        _logger = store.LoggerFactory.CreateLogger<DrainManager>();
    }

    /// <summary>Starts the delivery loops of every enabled drain (call once at server start).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var (drain, progress) in _repository.Load(null).Where(d => d.Drain.Enabled))
            {
                StartWorker(drain, progress);
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
            var cursor = _store.Get(spec.AppId).LastSequence;
            _repository.Insert(drain, cursor);
            StartWorker(drain, new DrainProgress(drain.Id, cursor, 0, 0, 0, null, null, null));
        }
        finally
        {
            _gate.Release();
        }

        return drain.Redacted();
    }

    /// <summary>The app's drains with delivered count, backlog, last error and time. Credentials are redacted.</summary>
    public Task<IReadOnlyList<DrainStatus>> ListAsync(string appId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var lastSequence = _store.Get(appId).LastSequence;
        IReadOnlyList<DrainStatus> result = _repository.Load(appId).Select(d => Status(d.Drain, d.Progress, lastSequence)).ToList();
        return Task.FromResult(result);
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
            if (!_repository.SetEnabled(appId, drainId, enabled))
            {
                throw NuageException.NotFound(ErrorCodes.DrainNotFound, $"app {appId} has no drain {drainId}");
            }

            await StopWorkerAsync(drainId);
            if (enabled)
            {
                var (drain, progress) = _repository.Load(appId).First(d => d.Drain.Id == drainId);
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
            if (!_repository.Delete(appId, drainId))
            {
                throw NuageException.NotFound(ErrorCodes.DrainNotFound, $"app {appId} has no drain {drainId}");
            }
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
        var progress = _workers.TryGetValue(drain.Id, out var worker) ? worker.Progress : stored;
        return new DrainStatus(drain.Redacted(), progress.Cursor, progress.Delivered, Math.Max(0, lastSequence - progress.Cursor),
            progress.Skipped, progress.Missed, progress.LastError, progress.LastErrorAt, progress.LastDeliveryAt);
    }

    private void StartWorker(DrainConfig drain, DrainProgress progress)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var worker = new DrainWorker(drain, progress, _store, _repository, _transports.Create(drain), _options, _random,
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
}

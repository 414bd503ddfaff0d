using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Ingestion;

/// <summary>
/// Starts and stops the tailing of instances' stdout/stderr files. Offsets live in the store next to the lines, so
/// after a restart (even kill -9) <see cref="Start"/> resumes exactly where the last committed batch ended.
/// </summary>
public sealed partial class InstanceOutputTailers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string App, string Instance), Running> _running = new();
    private readonly LogStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly InstanceOutputOptions _options;

    public InstanceOutputTailers(LogStore store, InstanceOutputOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new InstanceOutputOptions();
        _logger = store.LoggerFactory.CreateLogger<InstanceOutputTailers>();
    }

    /// <summary>Begins tailing both files of the instance (idempotent). Files that do not exist yet are waited for.</summary>
    public void Start(InstanceOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_abort.IsCancellationRequested, this);
        var app = _store.Get(output.AppId);
        _running.GetOrAdd((output.AppId, output.InstanceId), _ => new Running(this, app, output));
    }

    public bool IsRunning(string appId, string instanceId) => _running.ContainsKey((appId, instanceId));

    /// <summary>
    /// Stops tailing an instance that has exited: reads both files to the end, ingests a partial last line,
    /// and returns once everything is committed.
    /// </summary>
    public async Task StopAsync(string appId, string instanceId)
    {
        if (_running.TryRemove((appId, instanceId), out var running))
        {
            await running.StopAsync(final: true);
        }
    }

    /// <summary>Stops every tailer without reading further; offsets stay committed, so the next start resumes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_abort.IsCancellationRequested)
        {
            return;
        }

        var all = _running.Values.ToList();
        _running.Clear();
        await Task.WhenAll(all.Select(r => r.StopAsync(final: false)));
        await _abort.CancelAsync();
        _abort.Dispose();
    }

    private sealed class Running
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private bool _final;

        public Running(InstanceOutputTailers owner, AppLog app, InstanceOutput output)
        {
            _task = Task.WhenAll(
                owner.RunFileAsync(app, output, "stdout", output.StdoutPath, _stop.Token, () => _final),
                owner.RunFileAsync(app, output, "stderr", output.StderrPath, _stop.Token, () => _final));
        }

        public async Task StopAsync(bool final)
        {
            _final = final;
            await _stop.CancelAsync();
            await _task;
            _stop.Dispose();
        }
    }

    private async Task RunFileAsync(AppLog app, InstanceOutput output, string stream, string path, CancellationToken stop, Func<bool> final)
    {
        await Task.Yield();
        var time = _store.Time;
        while (true)
        {
            try
            {
                var tailer = new FileTailer(app, output, stream, path, time, _logger, _store.Options.MaxLineBytes, ReclaimFor(output.AppId, path));
                await tailer.RunAsync(stop, final, _abort.Token);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested || _abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // A full store was logged once by the store; the lines wait in the file, retried from the saved offset.
                if (!StoreFullException.IsDiskFull(ex))
                {
                    LogTailerFailed(_logger, path, ex);
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Reclaiming is allowed only for a file directly in the app's own output directory.</summary>
    private OutputReclaim? ReclaimFor(string appId, string path)
    {
        if (_options.AppDirectory is not { } directoryOf)
        {
            return null;
        }

        var expected = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directoryOf(appId)));
        var full = Path.GetFullPath(path);
        return string.Equals(Path.GetDirectoryName(full), expected, StringComparison.Ordinal) && full.EndsWith(".log", StringComparison.Ordinal)
            ? new OutputReclaim(_options.CompactBytes)
            : null;
    }

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Tailing {Path} failed; restarting from the committed offset")]
    private static partial void LogTailerFailed(ILogger logger, string path, Exception exception);
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Router;
using Nuage.Router.Standalone;
using Nuage.Runtime.Processes;
using Nuage.Server.Hosting;

namespace Nuage.Server.RouterProcess;

/// <summary>
/// The server's side of <c>--router process</c>: starts the <c>nuage router</c> process when none answers (or adopts the one
/// that does: socket peer pid = reported pid, alive with a recorded start time, like instances), restarts it if it dies, sends
/// it a full route snapshot after every change of the server's routes, and ingests its access-log spool.
/// </summary>
internal sealed partial class RouterProcessLink : IRouteReplica, IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly NuageRouter _local;
    private readonly NuageServerOptions _options;
    private readonly NuagePaths _paths;
    private readonly RouterControlClient _client;
    private readonly RouterSpoolIngester _ingester;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _epoch;
    private long _sequence;
    private int _dirty;
    private volatile bool _armed;
    private (int Pid, long StartTicks) _router;
    private Process? _started;
    private Task? _loop;

    public RouterProcessLink(NuageRouter local, NuageServerOptions options, NuagePaths paths, ILogSink accessLog, ILoggerFactory loggers, TimeProvider time)
    {
        _local = local;
        _options = options;
        _paths = paths;
        _client = new RouterControlClient(paths.RouterSocket);
        _logger = loggers.CreateLogger<RouterProcessLink>();
        _ingester = new RouterSpoolIngester(paths.RouterSpool, accessLog, local, _logger);
        _time = time;
    }

    public IReadOnlyList<Uri> HttpAddresses { get; private set; } = [];

    public IReadOnlyList<Uri> HttpsAddresses { get; private set; } = [];

    /// <summary>
    /// Adopts or starts the router process. A router with a saved snapshot keeps serving it (the server's own routes are still
    /// "restoring"); one with none gets the restoring routes now, so known apps answer 503 + Retry-After rather than 404.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var status = await EnsureRouterAsync(cancellationToken);
        _epoch = RouterEpoch.Next(_paths, status.Generation.Epoch + 1);
        if (status.Generation == SnapshotGeneration.None)
        {
            await PushAsync(cancellationToken);
        }

        _ingester.IngestOnce();
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Every app is restored: send the full snapshot (the server declares itself ready only after), then every change.</summary>
    public async Task ActivateAsync(CancellationToken cancellationToken)
    {
        _armed = true;
        await PushAsync(cancellationToken);
    }

    public void RoutesChanged()
    {
        if (!_armed)
        {
            return;
        }

        Interlocked.Exchange(ref _dirty, 1);
        Signal();
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (!_armed)
        {
            return;
        }

        // Always a push of our own: a clean flag may only mean the loop's push carrying this change is still in flight.

        try
        {
            await PushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            LogUnreachable(_logger, e.Message); // the loop retries; the change is saved and reaches the router when it answers
        }
    }

    public async Task<DrainReport> DrainAsync(IReadOnlyCollection<string> instanceIds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_armed)
        {
            return new DrainReport(true, 0, TimeSpan.Zero); // the router still serves its saved snapshot; the server's view is not sent yet
        }

        try
        {
            await PushAsync(cancellationToken); // the instances must be out of the router's routes before it can drain them
            var (reply, _) = await _client.SendAsync(
                new RouterRequest(RouterOperations.Drain) { InstanceIds = [.. instanceIds], DrainTimeout = timeout }, timeout + RequestTimeout, cancellationToken);
            return reply.Drain ?? new DrainReport(true, 0, TimeSpan.Zero);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            LogUnreachable(_logger, e.Message);
            return new DrainReport(false, 0, TimeSpan.Zero);
        }
    }

    /// <summary>Stops feeding and ingesting; the router process keeps running (that is the point).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _ingester.IngestOnce();
        _started?.Dispose();
        _stop.Dispose();
        _sending.Dispose();
        _changed.Dispose();
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the next send carries this change too.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(RouterSpoolIngester.PollInterval, _stop.Token);
                if (!ProcessIdentity.IsAlive(_router.Pid, _router.StartTicks))
                {
                    LogRouterGone(_logger, _router.Pid);
                    await EnsureRouterAsync(_stop.Token);
                    Interlocked.Exchange(ref _dirty, _armed ? 1 : 0);
                }

                if (Volatile.Read(ref _dirty) == 1)
                {
                    await PushAsync(_stop.Token);
                }

                _ingester.IngestOnce();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or NuageException or UnauthorizedAccessException)
            {
                LogUnreachable(_logger, e.Message);
                await Task.Delay(CheckInterval, _time, CancellationToken.None);
            }
        }
    }
}

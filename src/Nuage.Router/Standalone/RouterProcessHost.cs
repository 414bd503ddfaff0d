using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Paths;

namespace Nuage.Router.Standalone;

/// <summary>
/// <c>nuage router</c>: the router as its own long-lived process. It serves the last snapshot saved under the data root from
/// its first second, takes newer snapshots from the server on the control socket, and spools its access log for the server to
/// ingest, so apps keep answering (and requests keep being recorded) while the server restarts, is upgraded or is killed.
/// </summary>
public sealed partial class RouterProcessHost : IAsyncDisposable
{
    /// <summary>Default bound of the access-log spool: 64 MiB (about 300 000 records) while the server is away.</summary>
    public const long DefaultSpoolBytes = 64L * 1024 * 1024;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly NuagePaths _paths;
    private readonly RouterSpool _spool;
    private readonly NuageRouter _router;
    private readonly RouteSnapshotFile _file;
    private readonly ILogger _logger;
    private readonly Lock _applying = new();
    private RouterControlServer? _control;

    private RouterProcessHost(NuagePaths paths, RouterSpool spool, NuageRouter router, ILogger logger)
    {
        _paths = paths;
        _spool = spool;
        _router = router;
        _logger = logger;
        _file = new RouteSnapshotFile(paths.RouterRun, paths.RouterSnapshotFileName);
    }

    public NuageRouter Router => _router;

    /// <summary>
    /// Loads the saved snapshot, binds the router's listeners, then the control socket. Throws a NuageException when another
    /// router answers on this data directory's socket or when the socket path is a link.
    /// </summary>
    public static async Task<RouterProcessHost> StartAsync(RouterOptions options, NuagePaths paths, ILoggerFactory loggers, TimeProvider time, long spoolBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        PrepareFolder(paths.RouterRun);
        RouterControlSocket.RefuseLink(paths.RouterSocket);
        if (File.Exists(paths.RouterSocket) && await AnswersAsync(paths.RouterSocket, cancellationToken) is { } other)
        {
            throw new NuageException(ErrorKind.Conflict, ErrorCodes.RouterAlreadyRunning, $"A router (pid {other}) already serves this data directory on {paths.RouterSocket}; stop it first.");
        }

        var spool = new RouterSpool(paths.RouterSpool, spoolBytes, time);
        NuageRouter router;
        try
        {
            router = new NuageRouter(options, spool, time, loggers);
        }
        catch
        {
            spool.Dispose();
            throw;
        }

        var host = new RouterProcessHost(paths, spool, router, loggers.CreateLogger<RouterProcessHost>());
        try
        {
            if (host._file.Load() is { } saved)
            {
                router.Apply(saved);
                LogLoaded(host._logger, saved.Generation.ToString(), saved.Routes.Count);
            }

            await router.StartAsync(cancellationToken);
            host._control = RouterControlServer.Start(paths.RouterSocket, host.HandleAsync, host._logger);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_control is not null)
        {
            await _control.DisposeAsync(); // the server sees no router and would start one: stop listening for it first
        }

        await _router.DisposeAsync();
        _spool.Dispose();
    }

    private Task<RouterReply> HandleAsync(RouterRequest request, CancellationToken cancellationToken) => request.Operation switch
    {
        RouterOperations.Status => Task.FromResult(Status(new RouterReply(true))),
        RouterOperations.Snapshot when request.Snapshot is { } snapshot => Task.FromResult(Status(new RouterReply(true) { Applied = Apply(snapshot) })),
        RouterOperations.Drain when request.InstanceIds is { } ids => DrainAsync(ids, request.DrainTimeout, cancellationToken),
        _ => Task.FromResult(new RouterReply(false) { Error = $"unknown operation '{request.Operation}' or missing argument; accepted: status, snapshot, drain" }),
    };

    private bool Apply(RouteSnapshot snapshot)
    {
        lock (_applying)
        {
            if (!_router.Apply(snapshot))
            {
                LogStale(_logger, snapshot.Generation.ToString(), _router.Generation.ToString());
                return false;
            }

            _file.Save(snapshot); // after applying: a snapshot the router refused is never what it loads next time
            return true;
        }
    }

    private async Task<RouterReply> DrainAsync(IReadOnlyList<string> ids, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var report = await _router.DrainAsync(ids, timeout, cancellationToken);
        return Status(new RouterReply(true) { Drain = report });
    }

    private RouterReply Status(RouterReply reply) => reply with
    {
        Pid = Environment.ProcessId,
        Generation = _router.Generation,
        HttpAddresses = _router.HttpAddresses,
        HttpsAddresses = _router.HttpsAddresses,
    };

    private static void PrepareFolder(string path)
    {
        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
        {
            throw NuageException.Invalid("router folder", path, "is a symbolic link; remove it, the router creates its own folder there");
        }

        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    private static async Task<int?> AnswersAsync(string socket, CancellationToken cancellationToken)
    {
        try
        {
            var (reply, pid) = await new RouterControlClient(socket).SendAsync(new RouterRequest(RouterOperations.Status), TimeSpan.FromSeconds(5), cancellationToken);
            return reply.Ok ? pid : null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 5322, Level = LogLevel.Information, Message = "Serving the saved route snapshot {Generation} ({RouteCount} route(s)) until the server sends a newer one")]
    private static partial void LogLoaded(ILogger logger, string generation, int routeCount);

    [LoggerMessage(EventId = 5323, Level = LogLevel.Warning, Message = "Refused route snapshot {Generation}: the router already serves {Current}, which is newer (a server of an older generation sent it)")]
    private static partial void LogStale(ILogger logger, string generation, string current);
}

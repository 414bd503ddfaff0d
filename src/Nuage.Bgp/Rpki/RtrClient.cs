using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Nuage.Bgp.Rpki;

/// <summary>
/// An RPKI-to-Router client (RFC 8210, falling back to RFC 6810's version 0): keeps a <see cref="VrpTable"/> in step
/// with an RPKI cache (stayrtr, Routinator, rpki-client + StayRTR, …) by a Reset Query, then Serial Queries on the
/// cache's refresh interval or its Serial Notify; reconnects after the retry interval, and drops the data once it is
/// older than the expire interval, so a dead validator ends in NotFound, never in stale Valid/Invalid.
/// </summary>
public sealed partial class RtrClient(RtrClientOptions options, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private VrpTable _table = VrpTable.Empty;
    private DateTimeOffset? _synchronizedAt;
    private RtrClientState _state = RtrClientState.Connecting;
    private TimeSpan _refresh = options.Refresh;
    private TimeSpan _retry = options.Retry;
    private TimeSpan _expire = options.Expire;
    private ushort? _sessionId;
    private uint _serial;
    private bool _expiryLogged;
    private CancellationTokenSource? _stop;
    private Task? _run;

    public RtrClientOptions Options => options;

    /// <summary>The protocol version in use: <see cref="RtrClientOptions.Version"/> until the cache asks for a lower one.</summary>
    public byte Version { get; private set; } = options.Version;

    public RtrClientState State
    {
        get
        {
            lock (_gate)
            {
                return IsExpired() ? RtrClientState.Expired : _state;
            }
        }
    }

    /// <summary>The VRPs as of the last End of Data; empty before the first one and once they expire.</summary>
    public VrpTable Table
    {
        get
        {
            lock (_gate)
            {
                return IsExpired() || _synchronizedAt is null ? VrpTable.Empty : _table;
            }
        }
    }

    public ushort? SessionId { get { lock (_gate) { return _sessionId; } } }

    public uint Serial { get { lock (_gate) { return _serial; } } }

    public DateTimeOffset? SynchronizedAt { get { lock (_gate) { return _synchronizedAt; } } }

    /// <summary>The intervals in force (the cache's, from a version 1 End of Data, else the defaults).</summary>
    public (TimeSpan Refresh, TimeSpan Retry, TimeSpan Expire) Intervals { get { lock (_gate) { return (_refresh, _retry, _expire); } } }

    public int ResetQueries { get; private set; }

    public int SerialQueries { get; private set; }

    /// <summary>Why the last connection ended (a socket error, a protocol error, the cache's Error Report).</summary>
    public string? LastError { get; private set; }

    /// <summary>The last Error Report the cache sent, decoded.</summary>
    public ErrorReportPdu? LastErrorReport { get; private set; }

    /// <summary>RFC 6811 origin validation against the current table.</summary>
    public OriginValidationResult Validate(IPNetwork prefix, uint originAs) => Table.Validate(prefix, originAs);

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        _stop = null;
    }

    private bool IsExpired() => _synchronizedAt is { } at && time.GetUtcNow() - at > _expire;

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ConnectAndServeAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (VersionFallbackException)
            {
                LogVersionFallback(logger, options.ToString(), Version);
                continue; // at once, with the lower version
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException or RtrProtocolException or CacheErrorException)
            {
                LastError = e is RtrProtocolException p ? $"{RtrErrors.Describe(p.Code)}: {p.Message}" : e.Message;
                LogCacheDown(logger, options.ToString(), LastError);
            }

            lock (_gate)
            {
                _state = RtrClientState.Retrying;
            }

            try
            {
                await Task.Delay(Intervals.Retry, time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (State == RtrClientState.Expired && !_expiryLogged)
            {
                _expiryLogged = true;
                LogExpired(logger, options.ToString(), _expire);
            }
        }
    }

    /// <summary>The cache answered with an Error Report (surfaced in <see cref="LastErrorReport"/>).</summary>
    private sealed class CacheErrorException(ErrorReportPdu report) : Exception("the cache reported " + report);

    /// <summary>The cache does not speak the offered version: reconnect at once with a lower one.</summary>
    private sealed class VersionFallbackException : Exception;

    [LoggerMessage(EventId = 9150, Level = LogLevel.Information, Message = "RPKI cache {Cache}: {Count} VRPs after a reset (session {SessionId}, serial {Serial}, RTR version {Version})")]
    private static partial void LogReset(ILogger logger, string cache, int count, ushort sessionId, uint serial, byte version);

    [LoggerMessage(EventId = 9151, Level = LogLevel.Debug, Message = "RPKI cache {Cache}: {Count} VRPs at serial {Serial}")]
    private static partial void LogSerialUpdate(ILogger logger, string cache, int count, uint serial);

    [LoggerMessage(EventId = 9152, Level = LogLevel.Warning, Message = "RPKI cache {Cache} is unreachable or failed: {Reason}")]
    private static partial void LogCacheDown(ILogger logger, string cache, string reason);

    [LoggerMessage(EventId = 9153, Level = LogLevel.Warning, Message = "RPKI cache {Cache} sent an Error Report: {Report}")]
    private static partial void LogErrorReport(ILogger logger, string cache, string report);

    [LoggerMessage(EventId = 9154, Level = LogLevel.Information, Message = "RPKI cache {Cache} does not speak the offered RTR version: falling back to version {Version}")]
    private static partial void LogVersionFallback(ILogger logger, string cache, byte version);

    [LoggerMessage(EventId = 9155, Level = LogLevel.Error, Message = "RPKI data from {Cache} expired (no update within {Expire}): every prefix now validates as NotFound")]
    private static partial void LogExpired(ILogger logger, string cache, TimeSpan expire);
}

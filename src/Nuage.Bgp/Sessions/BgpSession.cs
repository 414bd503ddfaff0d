using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Sessions;

/// <summary>
/// One announce-only BGP session (RFC 4271): connects to the peer, exchanges OPEN with the capabilities Nuage needs
/// (multiprotocol per family, 4-octet AS), keeps the session with KEEPALIVEs and the hold timer, sends UPDATEs for the
/// wanted announcements as they change, and reconnects with capped backoff after any failure. Routes the peer sends are
/// parsed and counted, never installed.
/// </summary>
public sealed partial class BgpSession(PeerConfig peer, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan OpenHoldTime = TimeSpan.FromMinutes(4); // RFC 4271 §8.2.2: a large value until OPEN arrives
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<IPNetwork> _received = [];
    private Dictionary<IPNetwork, Announcement> _wanted = [];
    private Dictionary<IPNetwork, Announcement> _sent = [];
    private CancellationTokenSource? _stop;
    private Task? _run;

    public PeerConfig Peer => peer;

    public SessionState State { get; private set; } = SessionState.Idle;

    public DateTimeOffset? EstablishedAt { get; private set; }

    /// <summary>
    /// The last reason the session went down (a NOTIFICATION decoded, a socket error, a hold-timer expiry); kept once the
    /// session is up again, so a reset uptime has its explanation beside it.
    /// </summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Raised when the session is established, and when it goes down for a reason other than the last one (a peer that
    /// stays unreachable is reported once, not at every retry). Runs on the session's own task: keep handlers short.
    /// </summary>
    public event EventHandler<SessionChange>? Changed;

    public int ReceivedPrefixes { get { lock (_gate) { return _received.Count; } } }

    public int AnnouncedPrefixes { get { lock (_gate) { return _sent.Count; } } }

    /// <summary>What the peer should hold from now on: announced when new or changed, withdrawn when gone.</summary>
    public void SetAnnouncements(IEnumerable<Announcement> announcements)
    {
        lock (_gate)
        {
            _wanted = announcements.ToDictionary(a => a.Prefix);
        }

        _changed.Writer.TryWrite(true);
    }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>
    /// A planned stop (RFC 8326): the routes are announced again with GRACEFUL_SHUTDOWN so the peer moves traffic away,
    /// then after <paramref name="drain"/> they are withdrawn and the session ends with "cease: administrative shutdown".
    /// </summary>
    public async Task ShutdownAsync(TimeSpan drain)
    {
        if (State == SessionState.Established)
        {
            lock (_gate)
            {
                _wanted = _wanted.Values.Select(a => a with { Communities = [.. a.Communities, Communities.GracefulShutdown] }).ToDictionary(a => a.Prefix);
            }

            _changed.Writer.TryWrite(true);
            await Task.Delay(drain, time);
            SetAnnouncements([]);
            await Task.Delay(TimeSpan.FromMilliseconds(200), time); // let the sender write the withdrawal first
            _closing = new NotificationMessage(BgpError.Cease, BgpError.AdministrativeShutdown, []);
        }

        await DisposeAsync();
    }

    /// <summary>
    /// Ends the session without a NOTIFICATION and without withdrawing: the peer keeps the routes for the graceful-restart
    /// time (RFC 4724) until this speaker, restarted, announces again and sends End-of-RIB. Only for a speaker whose data
    /// path keeps running (<see cref="PeerConfig.GracefulRestartTime"/> set); otherwise it is a plain stop.
    /// </summary>
    public async Task DetachAsync()
    {
        if (peer.GracefulRestartTime is null)
        {
            await ShutdownAsync(TimeSpan.Zero);
            return;
        }

        _detaching = true;
        await DisposeAsync();
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

    private NotificationMessage? _closing;
    private bool _detaching;
    private bool _establishedOnce;

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            var established = false;
            try
            {
                established = await ConnectAndServeAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or SocketException or BgpProtocolException or OperationCanceledException)
            {
                var reason = e switch
                {
                    OperationCanceledException => "hold timer expired",
                    EndOfStreamException => "the peer closed the TCP connection without a NOTIFICATION",
                    _ => e.Message,
                };
                established = State == SessionState.Established; // it went down from Established: news, and a quick retry
                var news = established || reason != LastError;
                LastError = reason;
                LogSessionDown(logger, peer.ToString(), reason);
                if (news)
                {
                    Changed?.Invoke(this, new SessionChange(SessionState.Idle, reason));
                }
            }
            finally
            {
                State = SessionState.Idle;
                EstablishedAt = null;
                lock (_gate)
                {
                    _sent = [];
                    _received.Clear();
                }
            }

            // After a session that worked, try again soon; after failures, back off up to a minute.
            backoff = established ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 9100, Level = LogLevel.Warning, Message = "BGP session with {Peer} is down: {Reason}")]
    private static partial void LogSessionDown(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "BGP session with {Peer} established (hold time {HoldTime} s, families {Families})")]
    private static partial void LogEstablished(ILogger logger, string peer, int holdTime, string families);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "BGP peer {Peer} sent an update treated as a withdrawal (RFC 7606): {Problem}")]
    private static partial void LogTreatAsWithdraw(ILogger logger, string peer, string problem);
}

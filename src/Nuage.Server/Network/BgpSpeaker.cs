using System.Globalization;
using Microsoft.Extensions.Logging;
using Nuage.Bgp.Sessions;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;

namespace Nuage.Server.Network;

/// <summary>
/// The server's BGP speaker: one announce-only session per configured peer, announcing the configured prefixes only
/// while this machine's router answers (<see cref="RouterHealthProbe"/>, every quarter second; two failures in a row
/// withdraw, two successes announce again), and for a prefix tied to an app (<c>--while-app</c>) only while that app
/// answers its health check through the router too. On shutdown the routes get the graceful-shutdown community, then
/// are withdrawn. Sessions going up and down and announcements starting and stopping are platform events: kept in the
/// status and written to the audit trail.
/// </summary>
internal sealed partial class BgpSpeaker : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Without a peer nothing is announced: the router is probed this rarely (for `nuage network status`), not 4 times a second.</summary>
    private static readonly TimeSpan UnpeeredProbeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownDrain = TimeSpan.FromSeconds(1);

    /// <summary>How long peers keep this machine's routes while the server restarts with the router process still serving (RFC 4724).</summary>
    public const ushort GracefulRestartSeconds = 120;
    private const int EventsKept = 50;
    private const string EventAction = "network.event";

    private readonly NetworkConfigStore _store;
    private readonly RouterHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Audit.AuditTrail _audit;
    private readonly Lock _gate = new();
    private readonly Queue<NetworkEventDto> _events = new();
    private readonly Dictionary<string, Health> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (BgpPeerDto Dto, BgpSession Session)> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _peerAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NetworkConfigFile _config = new();
    private List<Announcement> _prefixes = [];
    private Preflight _preflight = Preflight.None;
    private Task? _health;
    private Health _router = new(false, 0);

    // Sessions start once the first probes have answered: a session's first table (and, with graceful restart, its
    // End-of-RIB) must say what this machine serves, not "nothing yet", or a restarted server would wipe what its
    // peers kept.
    private bool _decided;

    private readonly bool _routerOutlivesServer;

    public BgpSpeaker(NetworkConfigStore store, RouterHealthProbe probe, Audit.AuditTrail audit, Hosting.NuageServerOptions options, TimeProvider time, ILoggerFactory loggers, Metrics.PlatformMeters meters)
    {
        _store = store;
        _routerOutlivesServer = options.Router == Hosting.RouterModes.Process;
        _audit = audit;
        _probe = probe;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Nuage.Server.Network");
        NetworkMetrics.Register(meters, this);
    }

    public bool RouterHealthy => _router.Healthy;

    public string? RouterHealthDetail { get; private set; }

    /// <summary>Loads the saved configuration, opens the sessions and starts watching the router.</summary>
    public void Start()
    {
        var config = _store.Load();
        var preflight = Preflight.Create(config.Rpki, config.Irr, _time, _loggers.CreateLogger("Nuage.Bgp"));
        lock (_gate)
        {
            _config = config;
            _preflight = preflight;
            _prefixes = [.. config.Prefixes.Select(p => NetworkValidation.Prefix(p).Prefix)];
            foreach (var dto in config.Peers)
            {
                Open(dto);
            }
        }

        _health = Task.Run(() => WatchRouterAsync(_stop.Token));
    }

    public IReadOnlyList<BgpSession> Sessions()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.Select(s => s.Session)];
        }
    }

    public NetworkConfigFile Config()
    {
        lock (_gate)
        {
            return _config;
        }
    }

    /// <summary>Adds a peer, or replaces the one at the same address and port (its session restarts).</summary>
    public async Task<NetworkChangeDto<BgpPeerDto>> SetPeerAsync(BgpPeerDto dto)
    {
        var (_, warnings) = NetworkValidation.Peer(dto);
        var saved = dto with { Password = null };
        BgpSession? replaced;
        lock (_gate)
        {
            var key = Key(saved);
            replaced = _sessions.TryGetValue(key, out var old) ? old.Session : null;
            _sessions.Remove(key);
            _config = _config with { Peers = [.. _config.Peers.Where(p => Key(p) != key), saved] };
            _store.Save(_config);
            Open(saved);
        }

        if (replaced is not null)
        {
            await replaced.DisposeAsync();
        }

        return new(saved, warnings);
    }

    public async Task RemovePeerAsync(string address, int? port)
    {
        BgpSession session;
        lock (_gate)
        {
            var match = _config.Peers.FirstOrDefault(p => p.Address == address && (port is null || (p.Port ?? 179) == port))
                ?? throw NuageException.NotFound(ErrorCodes.NotFound, $"No BGP peer at {address}; 'nuage network peer list' lists them.");
            session = _sessions[Key(match)].Session;
            _sessions.Remove(Key(match));
            _config = _config with { Peers = [.. _config.Peers.Where(p => p != match)] };
            _store.Save(_config);
        }

        await session.ShutdownAsync(ShutdownDrain); // the peer is told (graceful shutdown, then cease), not just dropped
    }

    public NetworkChangeDto<BgpPrefixDto> SetPrefix(BgpPrefixDto dto)
    {
        var (announcement, warnings) = NetworkValidation.Prefix(dto);
        if (dto.WhileApp is { } app && !_probe.Routes(app))
        {
            throw NuageException.Invalid("whileApp", app, "name an app deployed on this machine ('nuage apps' lists them), or leave it unset to follow the router alone");
        }

        var saved = dto with { Prefix = announcement.Prefix.ToString() };
        lock (_gate)
        {
            _config = _config with { Prefixes = [.. _config.Prefixes.Where(p => p.Prefix != saved.Prefix), saved] };
            _store.Save(_config);
            _prefixes = [.. _prefixes.Where(p => p.Prefix != announcement.Prefix), announcement];
        }

        Announce();
        return new(saved, warnings);
    }

    public void RemovePrefix(string prefix)
    {
        var normalised = NetworkValidation.Prefix(new BgpPrefixDto { Prefix = prefix }).Prefix.Prefix;
        lock (_gate)
        {
            if (!_prefixes.Any(p => p.Prefix == normalised))
            {
                throw NuageException.NotFound(ErrorCodes.NotFound, $"{normalised} is not announced; 'nuage network prefix list' lists the prefixes.");
            }

            _config = _config with { Prefixes = [.. _config.Prefixes.Where(p => p.Prefix != normalised.ToString())] };
            _store.Save(_config);
            _prefixes = [.. _prefixes.Where(p => p.Prefix != normalised)];
        }

        Announce();
    }

    /// <summary>Sets (or with null clears) the RPKI and IRR pre-flight checks; announcements follow at once.</summary>
    public async Task SetPreflightAsync(BgpRpkiDto? rpki, BgpIrrDto? irr)
    {
        var created = Preflight.Create(rpki, irr, _time, _loggers.CreateLogger("Nuage.Bgp"));
        Preflight old;
        lock (_gate)
        {
            old = _preflight;
            _preflight = created;
            _config = _config with { Rpki = rpki, Irr = irr };
            _store.Save(_config);
        }

        await old.DisposeAsync();
        Announce();
    }

    public NetworkStatusDto Status()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var peers = _sessions.Values.Select(s => new BgpSessionDto(
                s.Session.Peer.Address.ToString(),
                s.Session.Peer.Port,
                s.Session.Peer.RemoteAs,
                s.Session.State.ToString().ToLowerInvariant(),
                s.Session.EstablishedAt,
                s.Session.EstablishedAt is { } since ? (long)(now - since).TotalSeconds : null,
                s.Session.AnnouncedPrefixes,
                s.Session.ReceivedPrefixes,
                s.Session.LastError)).ToList();
            var origins = _sessions.Values.Select(s => s.Session.Peer.LocalAs).Distinct().ToList();
            return new NetworkStatusDto(RouterHealthy, RouterHealthDetail, RouterHealthy && _prefixes.Count > 0, peers, _config.Prefixes)
            {
                Checks = [.. origins.SelectMany(asn => _prefixes.Select(p => Check(p, asn)))],
                Rpki = _preflight.RpkiState,
                Events = Events(),
            };
        }
    }

    private void Open(BgpPeerDto dto)
    {
        var (peer, _) = NetworkValidation.Peer(dto);
        if (_routerOutlivesServer)
        {
            peer = peer with { GracefulRestartTime = GracefulRestartSeconds };
        }

        var session = new BgpSession(peer, _time, _loggers.CreateLogger("Nuage.Bgp"));
        session.Changed += (_, change) => Raise(
            change.State == SessionState.Established ? "session-up" : "session-down", $"{peer.Address}:{peer.Port}", change.Reason);
        session.SetAnnouncements(Wanted(peer.LocalAs));
        _sessions[Key(dto)] = (dto, session);
        _peerAdded.TrySetResult(); // the watch loop probes at the peered pace from now on
        if (_decided)
        {
            session.Start();
        }
    }

    /// <summary>Tells every session what to hold now: the prefixes while the router is healthy, nothing otherwise.</summary>
    private void Announce()
    {
        lock (_gate)
        {
            foreach (var (_, session) in _sessions.Values)
            {
                session.SetAnnouncements(Wanted(session.Peer.LocalAs));
            }
        }
    }

    /// <summary>
    /// What a session announcing as <paramref name="originAs"/> should hold: nothing while the router is down, else what
    /// passes pre-flight and, for a prefix tied to an app, whose app answers.
    /// </summary>
    private List<Announcement> Wanted(uint originAs) =>
        RouterHealthy ? [.. _prefixes.Where(p => Check(p, originAs).Allowed && AppAllows(p))] : [];

    private bool AppAllows(Announcement prefix) =>
        _config.Prefixes.FirstOrDefault(p => p.Prefix == prefix.Prefix.ToString())?.WhileApp is not { } app
        || (_apps.TryGetValue(app, out var health) && health.Healthy);

    private PrefixCheckDto Check(Announcement prefix, uint originAs) =>
        _preflight.Check(prefix, _config.Prefixes.Any(p => p.Prefix == prefix.Prefix.ToString() && p.AllowRpkiInvalid == true), originAs);

    private async Task WatchRouterAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (healthy, detail) = await _probe.CheckAsync(stop);
            RouterHealthDetail = detail;
            if (!_decided)
            {
                _router = new Health(healthy, 0); // the first answer decides; later ones must agree twice to flip
                Raise(healthy ? "announcing" : "withdrawn", "router", detail);
            }
            else if (Observe(ref _router, healthy))
            {
                if (healthy)
                {
                    LogRouterHealthy(_logger, detail);
                }
                else
                {
                    LogRouterUnhealthy(_logger, detail);
                }

                Raise(healthy ? "announcing" : "withdrawn", "router", detail);
            }

            await WatchAppsAsync(stop);
            if (!_decided)
            {
                StartSessions();
            }

            Announce(); // also picks up a new RPKI table (sessions send only what changed)
            try
            {
                await PauseAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits <see cref="ProbeInterval"/> while there are peers; without any, <see cref="UnpeeredProbeInterval"/> or until one is added.</summary>
    private async Task PauseAsync(CancellationToken stop)
    {
        Task? peerAdded = null;
        lock (_gate)
        {
            if (_sessions.Count == 0)
            {
                _peerAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                peerAdded = _peerAdded.Task;
            }
        }

        if (peerAdded is null)
        {
            await Task.Delay(ProbeInterval, _time, stop);
            return;
        }

        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stop);
        await Task.WhenAny(Task.Delay(UnpeeredProbeInterval, _time, pause.Token), peerAdded);
        await pause.CancelAsync(); // the delay's timer goes now, not when it would have fired
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>Probes each app a prefix is tied to, through the router, with the same two-in-a-row rule as the router.</summary>
    private async Task WatchAppsAsync(CancellationToken stop)
    {
        List<string> apps;
        lock (_gate)
        {
            apps = [.. _config.Prefixes.Select(p => p.WhileApp).OfType<string>().Distinct(StringComparer.Ordinal)];
            foreach (var gone in _apps.Keys.Except(apps).ToList())
            {
                _apps.Remove(gone);
            }
        }

        foreach (var app in apps)
        {
            var (healthy, detail) = await _probe.CheckAppAsync(app, stop);
            lock (_gate)
            {
                var known = _apps.TryGetValue(app, out var health);
                health = known ? health : new Health(!healthy, 1); // a first answer decides at once
                var changed = Observe(ref health, healthy);
                _apps[app] = health;
                if (changed)
                {
                    Raise(healthy ? "announcing" : "withdrawn", "app " + app, detail);
                }
            }
        }
    }

    private void StartSessions()
    {
        lock (_gate)
        {
            _decided = true;
            foreach (var (_, session) in _sessions.Values)
            {
                session.SetAnnouncements(Wanted(session.Peer.LocalAs));
                session.Start();
            }
        }
    }

    /// <summary>Counts a probe result; the state flips after two results in a row that disagree with it. True when it flipped.</summary>
    private static bool Observe(ref Health health, bool healthy)
    {
        var streak = healthy == health.Healthy ? 0 : health.Streak + 1;
        health = streak >= 2 ? new Health(healthy, 0) : health with { Streak = streak };
        return streak >= 2;
    }

    /// <summary>A platform event: kept for the status (the latest <see cref="EventsKept"/>) and written to the audit trail.</summary>
    private void Raise(string kind, string subject, string detail)
    {
        if (kind is "announcing" or "withdrawn" && Sessions().Count == 0)
        {
            return; // nothing is announced to anyone: the router's health is no edge event (and no audit entry)
        }

        var entry = new NetworkEventDto(_time.GetUtcNow(), kind, subject, detail);
        lock (_events)
        {
            _events.Enqueue(entry);
            while (_events.Count > EventsKept)
            {
                _events.Dequeue();
            }
        }

        LogEvent(_logger, kind, subject, detail);
        _ = RecordAsync(entry);
    }

    private async Task RecordAsync(NetworkEventDto entry)
    {
        try
        {
            await _audit.RecordAsync(Caller.System, "platform", EventAction, entry.Subject, entry.Kind, entry.Kind, entry.Detail);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogEventNotRecorded(_logger, entry.Kind, e.Message); // the event stays in the status and the server log
        }
    }

    private IReadOnlyList<NetworkEventDto> Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    private readonly record struct Health(bool Healthy, int Streak);

    private static string Key(BgpPeerDto dto) => $"{dto.Address}:{(dto.Port ?? 179).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Planned stop. With the router in a process of its own, which keeps serving while the server restarts or is
    /// upgraded, the sessions are dropped without a word so the peers keep the routes (graceful restart) until the
    /// server is back; if the router does not answer now, or runs inside the server, every peer sees the
    /// graceful-shutdown community, then the withdrawal, then a cease.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_health is not null)
        {
            await _health.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var keep = _routerOutlivesServer && RouterHealthy;
        LogStopping(_logger, keep ? "the router process keeps serving: sessions end without a word, peers keep the routes for the graceful-restart time" : "graceful shutdown, then withdrawal");
        await Task.WhenAll(Sessions().Select(s => keep ? s.DetachAsync() : s.ShutdownAsync(ShutdownDrain)));
        await _preflight.DisposeAsync();
        _probe.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "The router answers ({Detail}): announcing this machine's prefixes")]
    private static partial void LogRouterHealthy(ILogger logger, string detail);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "The router does not answer ({Detail}): withdrawing this machine's prefixes")]
    private static partial void LogRouterUnhealthy(ILogger logger, string detail);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Edge event {Kind} for {Subject}: {Detail}")]
    private static partial void LogEvent(ILogger logger, string kind, string subject, string detail);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "BGP speaker stopping: {How}")]
    private static partial void LogStopping(ILogger logger, string how);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Edge event {Kind} could not be written to the audit trail: {Reason}")]
    private static partial void LogEventNotRecorded(ILogger logger, string kind, string reason);
}

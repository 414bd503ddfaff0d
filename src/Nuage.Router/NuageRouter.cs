using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Router.Standalone;
using Nuage.Router.Routing;
using Nuage.Router.Tls;

namespace Nuage.Router;

/// <summary>
/// The router: its own Kestrel host (separate from the API) forwarding <c>&lt;app&gt;.&lt;domain&gt;</c> and custom domains to
/// app instances with YARP. The server publishes routes, switches them atomically and drains replaced instances.
/// </summary>
public sealed partial class NuageRouter : IAsyncDisposable
{
    private readonly RouterOptions _options;
    private readonly ILogSink _accessLog;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILogger _logger;
    private readonly RouteTable _table;
    private readonly CertificateStore _certificates = new();
    private readonly Acme.AcmeChallenges _challenges;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Running? _running;

    /// <summary>Creates a router; nothing listens until <see cref="StartAsync"/>. Throws a NuageException listing invalid options.</summary>
    /// <param name="options">Endpoints, domain, limits and timeouts (see <see cref="RouterOptions"/> for defaults).</param>
    /// <param name="accessLog">Receives one <see cref="LogSource.Access"/> record per request, from a background task.</param>
    /// <param name="time">Clock (tests may pass a fake); the system clock by default.</param>
    /// <param name="loggerFactory">Where the router's own logs go; none by default.</param>
    /// <param name="meterFactory">Creates the <c>Nuage.Router</c> meter (from DI in the server); a standalone meter by default.</param>
    public NuageRouter(RouterOptions options, ILogSink accessLog, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accessLog);
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidRouterOptions, options.Validate());
        _options = options;
        _accessLog = accessLog;
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _meterFactory = meterFactory;
        _logger = _loggerFactory.CreateLogger<NuageRouter>();
        _table = new RouteTable(options.DomainSuffix);
        Health = new HealthChecker(options, _time);
        _challenges = new Acme.AcmeChallenges(_time);
    }

    /// <summary>Name of the meter whose instruments the server exports.</summary>
    public static string MeterName => Metrics.RouterMetrics.MeterName;

    /// <summary>Active health checks (also usable before <see cref="StartAsync"/>): the orchestrator waits on it before a switch.</summary>
    public HealthChecker Health { get; }

    /// <summary>Bound plain-HTTP addresses (real ports when 0 was asked), after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<Uri> HttpAddresses { get; private set; } = [];

    /// <summary>Bound HTTPS addresses, after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<Uri> HttpsAddresses { get; private set; } = [];

    /// <summary>Every published route.</summary>
    public IReadOnlyList<AppRoute> Routes => _table.Routes;

    /// <summary>The compiled routing table (tests read an app's compiled flow, e.g. its response cache).</summary>
    internal Routing.RouteTable Table => _table;

    /// <summary>
    /// Publishes (adds or replaces) an app's route, atomically: the next request uses it, requests in flight finish where they
    /// are. Instances no longer in any route stop receiving requests; call <see cref="DrainAsync"/> for them.
    /// Throws NuageException (invalid_route, domain_in_use) without changing anything.
    /// </summary>
    public void Publish(AppRoute route)
    {
        _table.Publish(route);
        LogMessages.Published(_logger, route.AppId, route.DeploymentId, route.Instances.Count, route.State);
        Replica?.RoutesChanged();
    }

    /// <summary>
    /// Returns once what was published so far is served (at once in this process; the <c>nuage router</c> process has applied
    /// the snapshot). API changes await it so that a command's success means the change is live.
    /// </summary>
    public Task SyncAsync(CancellationToken cancellationToken) => Replica?.SyncAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops routing an app (its hosts answer 404). Drain its instances next.</summary>
    public bool Remove(string appId)
    {
        var removed = _table.Remove(appId);
        if (removed)
        {
            LogMessages.Removed(_logger, appId);
            Replica?.RoutesChanged();
        }

        return removed;
    }

    /// <summary>
    /// Waits for requests and WebSockets on unpublished instances to finish, up to <paramref name="timeout"/>
    /// (default <see cref="RouterOptions.DrainTimeout"/>); what is left then is aborted. Stop the instances afterwards.
    /// Instance ids still published are ignored.
    /// </summary>
    public async Task<DrainReport> DrainAsync(IReadOnlyCollection<string> instanceIds, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        if (Replica is { } replica)
        {
            return await replica.DrainAsync(instanceIds, timeout ?? _options.DrainTimeout, cancellationToken);
        }

        var report = await _table.DrainAsync(instanceIds, timeout ?? _options.DrainTimeout, _time, cancellationToken);
        LogMessages.Drained(_logger, instanceIds.Count, (long)report.Elapsed.TotalMilliseconds, report.AbortedRequests);
        return report;
    }

    /// <summary>Requests (including WebSockets) currently forwarded to an instance; 0 when unknown.</summary>
    public int InFlight(string instanceId) => _table.InFlight(instanceId);

    /// <summary>Serves <paramref name="domain"/> (or <c>*.parent</c>) over HTTPS with this certificate, from the next handshake on.</summary>
    public void SetCertificate(string domain, X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        _certificates.Set(domain, certificate, chain);
        Replica?.RoutesChanged();
    }

    /// <summary>Stops serving a domain's certificate.</summary>
    public bool RemoveCertificate(string domain)
    {
        var removed = _certificates.Remove(domain);
        Replica?.RoutesChanged();
        return removed;
    }

    /// <summary>Loads PEM files (<c>nuage domain add DOMAIN --cert F --key F</c>); a bad pair gives an error naming the file.</summary>
    public static X509Certificate2 LoadPemCertificate(string certificatePath, string keyPath) => CertificateStore.LoadPem(certificatePath, keyPath);

    /// <summary>
    /// Answers the ACME challenge <paramref name="token"/> for <paramref name="domain"/> until <see cref="RemoveAcmeChallenge"/>:
    /// HTTP-01 with <paramref name="keyAuthorization"/> at <c>/.well-known/acme-challenge/TOKEN</c> (plain HTTP); TLS-ALPN-01 with a
    /// challenge certificate on the HTTPS listener for clients offering <c>acme-tls/1</c> with SNI <paramref name="domain"/>.
    /// </summary>
    /// <param name="type">One of <see cref="Acme.AcmeChallengeTypes"/>; HTTP-01 by default.</param>
    public void SetAcmeChallenge(string domain, string token, string keyAuthorization, string type = Acme.AcmeChallengeTypes.Http01)
    {
        if (!Acme.AcmeChallengeTypes.All.Contains(type))
        {
            throw NuageException.Invalid("type", type, $"not an ACME challenge type; accepted: {string.Join(", ", Acme.AcmeChallengeTypes.All)}");
        }

        _challenges.Set(domain, token, keyAuthorization, type);
        Replica?.RoutesChanged();
    }

    /// <summary>Stops answering an ACME challenge.</summary>
    public void RemoveAcmeChallenge(string domain, string token)
    {
        if (_challenges.Remove(domain, token))
        {
            Replica?.RoutesChanged();
        }
    }
}

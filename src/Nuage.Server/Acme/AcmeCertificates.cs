using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nuage.Core.State;
using Nuage.Router;
using Nuage.Server.Domains;
using Nuage.Server.Metrics;
using Nuage.Server.Security;

namespace Nuage.Server.Acme;

/// <summary>
/// Obtains and renews the certificates of custom domains from the ACME CA (<see cref="AcmeOptions"/>). A background loop on
/// the injected clock runs every due order one at a time: new domains at once, renewals at <see cref="AcmeOptions.RenewalTime"/>,
/// failures after a capped exponential backoff that honours the CA's Retry-After. A failed renewal leaves the current
/// certificate served; the domain shows <c>failed</c> with the CA's problem detail until an order succeeds.
/// </summary>
internal sealed partial class AcmeCertificates : BackgroundService, IAcmeChallengeResponder
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);
    private readonly IStateStore _store;
    private readonly SecretBox _box;
    private readonly AcmeOptions _options;
    private readonly NuageRouter _router;
    private readonly AppDomains _domains;
    private readonly TimeProvider _time;
    private readonly ILogger<AcmeCertificates> _logger;
    private readonly Counter<long> _orders;
    private readonly SemaphoreSlim _wake = new(0);
    private IReadOnlyList<AcmeDomainRecord> _known = [];
    private AcmeClient? _client;
    private HttpClient? _http;

    public AcmeCertificates(IStateStore store, SecretBox box, Hosting.NuageServerOptions options, NuageRouter router, AppDomains domains, TimeProvider time, ILogger<AcmeCertificates> logger, PlatformMeters meters)
    {
        _store = store;
        _box = box;
        _options = options.Acme;
        _router = router;
        _domains = domains;
        _time = time;
        _logger = logger;
        var meter = meters.Create(new MeterOptions("Nuage.Server.Acme"));
        _orders = meter.CreateCounter<long>("nuage.acme.orders", "{order}", "ACME certificate orders finished, by outcome (issued, failed).");
        meter.CreateObservableGauge("nuage.acme.domains", ObserveDomains, "{domain}", "Domains with ACME certificates, by status (pending, valid, failed).");
        meter.CreateObservableGauge("nuage.acme.certificate.expiry", ObserveExpiry, "s", "Seconds until each ACME certificate served expires, by domain.");
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Plans an order for the domain now (new domain, or "try again" after a failure); the current certificate keeps serving.</summary>
    public async Task RequestAsync(string domain, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var current = await _store.Acme.FindDomainAsync(domain, cancellationToken);
        await _store.Acme.SaveDomainAsync(
            current is null
                ? new AcmeDomainRecord { Domain = domain, Status = AcmeStatuses.Pending, NextAttemptAt = now, UpdatedAt = now }
                : current with { NextAttemptAt = now, UpdatedAt = now },
            cancellationToken);
        _wake.Release();
    }

    public Task ForgetAsync(string domain, CancellationToken cancellationToken) => _store.Acme.DeleteDomainAsync(domain, cancellationToken);

    public Task PublishAsync(string domain, string token, string keyAuthorization, string type, CancellationToken cancellationToken)
    {
        _router.SetAcmeChallenge(domain, token, keyAuthorization, type);
        return _router.SyncAsync(cancellationToken); // a router process serves it before the CA is told to look
    }

    public void Withdraw(string domain, string token) => _router.RemoveAcmeChallenge(domain, token);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = _time.GetUtcNow() + LongestSleep;
            try
            {
                _known = await _store.Acme.ListDomainsAsync(stoppingToken);
                foreach (var due in _known.Where(d => d.NextAttemptAt <= _time.GetUtcNow()))
                {
                    await RunOrderAsync(due, stoppingToken);
                }

                _known = await _store.Acme.ListDomainsAsync(stoppingToken);
                foreach (var domain in _known)
                {
                    next = domain.NextAttemptAt < next ? domain.NextAttemptAt : next;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoopFailed(_logger, e); // state store trouble: try again after the shortest backoff
                next = _time.GetUtcNow() + _options.RetryBase;
            }

            var sleep = next - _time.GetUtcNow();
            if (sleep > TimeSpan.Zero)
            {
                using var timer = new CancellationTokenSource(sleep, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
                try
                {
                    await _wake.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the sleep ended: something is due
                }
            }
        }
    }

    private async Task RunOrderAsync(AcmeDomainRecord due, CancellationToken cancellationToken)
    {
        var domain = await _store.Domains.FindAsync(due.Domain, cancellationToken);
        if (domain is null)
        {
            await _store.Acme.DeleteDomainAsync(due.Domain, cancellationToken); // removed meanwhile
            return;
        }

        LogOrdering(_logger, due.Domain, due.Status);
        try
        {
            var client = await ClientAsync(cancellationToken);
            var issued = await new AcmeOrderFlow(client, this, _time, _options.Challenge).IssueAsync(due.Domain, cancellationToken);
            await InstallAsync(domain, issued, cancellationToken);
            var now = _time.GetUtcNow();
            await _store.Acme.SaveDomainAsync(
                due with { Status = AcmeStatuses.Valid, NotAfter = issued.NotAfter, NextAttemptAt = _options.RenewalTime(issued.NotBefore, issued.NotAfter), Failures = 0, LastError = null, UpdatedAt = now },
                cancellationToken);
            _orders.Add(1, new KeyValuePair<string, object?>("outcome", "issued"));
            LogIssued(_logger, due.Domain, issued.NotAfter);
        }
        catch (AcmeProblemException problem)
        {
            var failures = due.Failures + 1;
            var now = _time.GetUtcNow();
            var retryAt = now + _options.Backoff(failures, problem.RetryAfter);
            await _store.Acme.SaveDomainAsync(
                due with { Status = AcmeStatuses.Failed, Failures = failures, LastError = problem.Describe(), NextAttemptAt = retryAt, UpdatedAt = now },
                cancellationToken);
            _orders.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogFailed(_logger, due.Domain, problem.Describe(), failures, retryAt);
            if (problem.Type is "unreachable")
            {
                ResetClient(); // a new connection (and directory, nonce) next time
            }
        }
    }

    /// <summary>Stores the chain and the sealed key like a supplied certificate, then serves it from the next handshake on.</summary>
    private async Task InstallAsync(DomainRecord domain, AcmeCertificate issued, CancellationToken cancellationToken)
    {
        await _store.Domains.UpsertAsync(
            domain with { CertificatePem = issued.ChainPem, SealedKey = _box.Seal(issued.KeyPem, DomainService.KeyContext(domain.AppId, domain.Domain)) },
            cancellationToken);
        // The router keeps its own copy (exportable, for a router process's snapshot).
        _domains.Set(domain.AppId, domain.Domain, DomainCertificates.Load(issued.ChainPem, issued.KeyPem), DomainCertificates.Intermediates(issued.ChainPem));
        await _router.SyncAsync(cancellationToken); // "valid" is recorded only once a router process serves the chain too
    }

    private async Task<AcmeClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } existing)
        {
            return existing;
        }

        _http ??= CreateHttpClient();
        var account = await _store.Acme.FindAccountAsync(_options.Directory, cancellationToken);
        var context = $"acme-account:{_options.Directory}";
        var key = account is null ? AcmeJws.Create() : AcmeJws.FromPem(_box.Open(account.SealedKey, context));
        var client = new AcmeClient(_http, new Uri(_options.Directory), key, _time) { AccountUrl = account?.AccountUrl };
        if (account is null || account.Email != _options.Email)
        {
            client.AccountUrl = null;
            var url = await new AcmeOrderFlow(client, this, _time).EnsureAccountAsync(_options.Email!, cancellationToken);
            await _store.Acme.SaveAccountAsync(
                new AcmeAccountRecord { Directory = _options.Directory, Email = _options.Email!, AccountUrl = url, SealedKey = _box.Seal(key.ExportPem(), context), CreatedAt = _time.GetUtcNow() },
                cancellationToken);
            LogAccount(_logger, _options.Directory, url);
        }

        _client = client;
        return client;
    }

    private void ResetClient() => _client = null;

    private HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        if (_options.CaCertificateFile is { } file)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(file);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false; // a wrong name is never accepted, whatever root is trusted
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            };
        }

        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("nuage-acme/1");
        return http;
    }

    private IEnumerable<Measurement<int>> ObserveDomains() =>
        AcmeStatuses.All.Select(status => new Measurement<int>(_known.Count(d => d.Status == status), new KeyValuePair<string, object?>("status", status)));

    private IEnumerable<Measurement<double>> ObserveExpiry()
    {
        var now = _time.GetUtcNow();
        return _known.Where(d => d.NotAfter is not null)
            .Select(d => new Measurement<double>((d.NotAfter!.Value - now).TotalSeconds, new KeyValuePair<string, object?>("domain", d.Domain)));
    }

    public override void Dispose()
    {
        base.Dispose();
        _http?.Dispose();
        _client?.Key.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 2900, Level = LogLevel.Information, Message = "Ordering a certificate for {Domain} (was {Status})")]
    private static partial void LogOrdering(ILogger logger, string domain, string status);

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Certificate for {Domain} issued, valid until {NotAfter}")]
    private static partial void LogIssued(ILogger logger, string domain, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Warning, Message = "Certificate order for {Domain} failed: {Problem}; attempt {Failures}, next at {RetryAt}")]
    private static partial void LogFailed(ILogger logger, string domain, string problem, int failures, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 2903, Level = LogLevel.Information, Message = "ACME account at {Directory}: {AccountUrl}")]
    private static partial void LogAccount(ILogger logger, string directory, string accountUrl);

    [LoggerMessage(EventId = 2904, Level = LogLevel.Error, Message = "The ACME renewal loop failed; retrying later")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}

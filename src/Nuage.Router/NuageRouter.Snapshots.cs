using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nuage.Core.Errors;
using Nuage.Router.Metrics;
using Nuage.Router.Standalone;

namespace Nuage.Router;

public sealed partial class NuageRouter
{
    private readonly Lock _snapshotLock = new();
    private RouterMetrics? _replayedMetrics;

    /// <summary>Generation of the last snapshot applied with <see cref="Apply"/> (<see cref="SnapshotGeneration.None"/> before).</summary>
    public SnapshotGeneration Generation { get; private set; }

    /// <summary>
    /// When set, told about every change (routes, certificates) and asked to drain instead of this router's own table: the
    /// server sets it when a separate <c>nuage router</c> process serves, this instance then only holds the server's view.
    /// </summary>
    public IRouteReplica? Replica { get; set; }

    /// <summary>
    /// Serves exactly <paramref name="snapshot"/> (routes and certificates; what is missing is removed) when its generation is newer
    /// than the current one; returns false and changes nothing otherwise. A route that cannot be published (bad or conflicting
    /// domain) is skipped and logged; the others still apply.
    /// </summary>
    public bool Apply(RouteSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_snapshotLock)
        {
            if (snapshot.Generation <= Generation)
            {
                return false;
            }

            ApplyCertificates(snapshot.Certificates);
            _challenges.ReplaceAll(snapshot.Challenges ?? []);
            var wanted = snapshot.Routes.Select(r => r.AppId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _table.Routes.Where(r => !wanted.Contains(r.AppId)).ToList())
            {
                Remove(gone.AppId);
            }

            // A domain moving from one app to another conflicts until the first app's new route is in: retry once.
            var failed = snapshot.Routes.Where(r => !TryPublish(r, out _)).ToList();
            foreach (var route in failed)
            {
                if (!TryPublish(route, out var error))
                {
                    LogMessages.SnapshotRouteSkipped(_logger, route.AppId, error);
                }
            }

            Generation = snapshot.Generation;
            LogMessages.SnapshotApplied(_logger, snapshot.Generation.ToString(), snapshot.Routes.Count);
            return true;
        }
    }

    /// <summary>The routes and certificates served now, as a snapshot of <paramref name="generation"/>.</summary>
    public RouteSnapshot Snapshot(SnapshotGeneration generation) =>
        new(generation, _table.Routes, [.. _certificates.All().Select(c => ExportCertificate(c.Domain, c.Certificate, c.Chain))]) { Challenges = _challenges.All() };

    /// <summary>
    /// Counts a request a router process answered (read back from its access-log spool) in this router's request metrics, so
    /// <c>/metrics</c> covers requests served while the server was away.
    /// </summary>
    public void RecordSpooledRequest(string appId, int status, TimeSpan elapsed) =>
        ReplayedMetrics().RequestEnded(new KeyValuePair<string, object?>("app", appId), status, elapsed);

    /// <summary>Counts access records a router process dropped because its spool was full (metric <c>nuage.router.access_log.dropped</c>).</summary>
    public void RecordSpoolDrops(long count) => ReplayedMetrics().AccessLogDropped(count);

    private RouterMetrics ReplayedMetrics()
    {
        if (_replayedMetrics is { } metrics)
        {
            return metrics;
        }

        lock (_snapshotLock)
        {
            return _replayedMetrics ??= new RouterMetrics(() => _table.Current, _meterFactory);
        }
    }

    private bool TryPublish(AppRoute route, out string error)
    {
        try
        {
            Publish(route);
            error = "";
            return true;
        }
        catch (NuageException e)
        {
            error = e.Message;
            return false;
        }
    }

    private void ApplyCertificates(IReadOnlyList<SnapshotCertificate> certificates)
    {
        var wanted = certificates.Select(c => c.Domain).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, _, _) in _certificates.All().Where(c => !wanted.Contains(c.Domain)))
        {
            _certificates.Remove(domain);
        }

        foreach (var certificate in certificates)
        {
            try
            {
                var leaf = X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.KeyPem);
                var chain = new X509Certificate2Collection();
                if (certificate.ChainPem.Length > 0)
                {
                    chain.ImportFromPem(certificate.ChainPem);
                }

                _certificates.Set(certificate.Domain, leaf, chain);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or NuageException)
            {
                LogMessages.SnapshotCertificateSkipped(_logger, certificate.Domain, e.Message);
            }
        }
    }

    private static SnapshotCertificate ExportCertificate(string domain, X509Certificate2 certificate, X509Certificate2Collection? chain)
    {
        AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
        using (key)
        {
            var keyPem = key switch
            {
                RSA rsa => rsa.ExportPkcs8PrivateKeyPem(),
                ECDsa ecdsa => ecdsa.ExportPkcs8PrivateKeyPem(),
                _ => "",
            };
            var chainPem = new StringBuilder();
            foreach (var intermediate in chain ?? [])
            {
                chainPem.AppendLine(intermediate.ExportCertificatePem());
            }

            return new SnapshotCertificate(domain, certificate.ExportCertificatePem(), keyPem, chainPem.ToString());
        }
    }
}

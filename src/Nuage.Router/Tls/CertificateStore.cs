using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nuage.Core.Errors;

namespace Nuage.Router.Tls;

/// <summary>Certificates per domain, chosen during the TLS handshake by SNI. Changes apply to the next handshake.</summary>
internal sealed class CertificateStore
{
    private readonly ConcurrentDictionary<string, Entry> _byDomain = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serves <paramref name="certificate"/> for the domain, with the intermediates of <paramref name="chain"/> sent in the handshake.</summary>
    public void Set(string domain, X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw NuageException.Invalid("certificate", domain, "the certificate has no private key; supply the key file with --key");
        }

        // Offline: build the chain from what was supplied; never fetch intermediates over the network.
        _byDomain[Normalize(domain)] = new Entry(certificate, chain, SslStreamCertificateContext.Create(certificate, chain, offline: true));
    }

    public bool Remove(string domain) => _byDomain.TryRemove(Normalize(domain), out _);

    /// <summary>Exact name first, then a wildcard <c>*.parent</c> entry.</summary>
    public X509Certificate2? Select(string? serverName) => Find(serverName)?.Certificate;

    /// <summary>The certificate and its chain for the TLS handshake, or null for an unknown name.</summary>
    public SslStreamCertificateContext? SelectContext(string? serverName) => Find(serverName)?.Context;

    private Entry? Find(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        if (_byDomain.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _byDomain.TryGetValue("*" + serverName[dot..], out var wildcard) ? wildcard : null;
    }

    /// <summary>Loads a PEM certificate chain and key, with an error naming the file and the fix when they do not fit.</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw NuageException.Invalid("cert", certificatePath, $"cannot load the certificate with key {keyPath}: {e.Message}; supply PEM files whose key matches the certificate");
        }
    }

    /// <summary>Every domain's certificate and intermediates (a router process receives them in its snapshot).</summary>
    public IReadOnlyList<(string Domain, X509Certificate2 Certificate, X509Certificate2Collection? Chain)> All() =>
        [.. _byDomain.Select(pair => (pair.Key, pair.Value.Certificate, pair.Value.Chain))];

    private sealed record Entry(X509Certificate2 Certificate, X509Certificate2Collection? Chain, SslStreamCertificateContext Context);

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();
}

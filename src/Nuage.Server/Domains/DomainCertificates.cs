using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Server.Domains;

/// <summary>Checks a PEM certificate and key supplied for a domain, with errors that name the problem and the fix.</summary>
internal static class DomainCertificates
{
    public const string CertificateField = "certificate";
    public const string KeyField = "key";

    /// <summary>
    /// The certificate with its key, when it parses, the key matches, it covers <paramref name="domain"/> and is valid at
    /// <paramref name="now"/>; otherwise throws <c>invalid_certificate</c> listing every problem found.
    /// </summary>
    public static X509Certificate2 Validate(string domain, string? certificatePem, string? keyPem, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            errors.Add(new FieldError(CertificateField, null, "a key was given without its certificate; give both --cert FILE and --key FILE"));
        }

        if (string.IsNullOrWhiteSpace(keyPem))
        {
            errors.Add(new FieldError(KeyField, null, "a certificate was given without its private key; give both --cert FILE and --key FILE"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidCertificate, errors);
        }

        using var certificate = ParseCertificate(certificatePem!, errors);
        var keyReadable = CheckKey(keyPem!, errors);
        if (certificate is not null)
        {
            CheckValidity(certificate, domain, now, errors);
        }

        X509Certificate2? withKey = null;
        if (certificate is not null && keyReadable)
        {
            try
            {
                withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                errors.Add(new FieldError(KeyField, null, $"the private key does not match the certificate for {certificate.Subject}; give the key the certificate was issued for"));
            }
        }

        if (errors.Count > 0)
        {
            withKey?.Dispose();
            throw NuageException.Invalid(ErrorCodes.InvalidCertificate, errors);
        }

        return withKey!;
    }

    /// <summary>Loads a stored (already validated) certificate and key for the router.</summary>
    public static X509Certificate2 Load(string certificatePem, string keyPem) => X509Certificate2.CreateFromPem(certificatePem, keyPem);

    /// <summary>The certificates after the first in a full-chain PEM (the intermediates sent with the leaf).</summary>
    public static X509Certificate2Collection Intermediates(string certificatePem)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(certificatePem);
        if (all.Count > 0)
        {
            all.RemoveAt(0);
        }

        return all;
    }

    /// <summary>What the API shows about a domain's certificate (never the key).</summary>
    public static DomainDto Describe(string domain, string? certificatePem)
    {
        if (certificatePem is null)
        {
            return new DomainDto(domain, Https: false);
        }

        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return new DomainDto(domain, Https: true, certificate.Subject, certificate.Thumbprint, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    private static X509Certificate2? ParseCertificate(string pem, List<FieldError> errors)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            errors.Add(new FieldError(CertificateField, null, $"not a readable PEM certificate ({e.Message}); give the file that starts with -----BEGIN CERTIFICATE-----"));
            return null;
        }
    }

    private static bool CheckKey(string pem, List<FieldError> errors)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            errors.Add(new FieldError(KeyField, null, "not a PEM private key; give the file that starts with -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY)"));
            return false;
        }

        var label = pem[fields.Label];
        if (label == "ENCRYPTED PRIVATE KEY")
        {
            errors.Add(new FieldError(KeyField, null, "the private key is encrypted; decrypt it first, e.g. 'openssl pkey -in key.pem -out plain.pem'"));
            return false;
        }

        if (label is not ("PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
        {
            errors.Add(new FieldError(KeyField, null, $"the PEM block is a {label}, not a private key; give the key file that goes with the certificate"));
            return false;
        }

        if (TryImport<RSA>(RSA.Create, pem) || TryImport<ECDsa>(ECDsa.Create, pem))
        {
            return true;
        }

        errors.Add(new FieldError(KeyField, null, "the private key cannot be read (RSA and ECDSA keys are accepted); give an unencrypted PEM key"));
        return false;
    }

    private static bool TryImport<T>(Func<T> create, string pem)
        where T : AsymmetricAlgorithm
    {
        using var key = create();
        try
        {
            key.ImportFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static void CheckValidity(X509Certificate2 certificate, string domain, DateTimeOffset now, List<FieldError> errors)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter < now)
        {
            errors.Add(new FieldError(CertificateField, certificate.Subject, $"the certificate expired on {notAfter.ToString("u", CultureInfo.InvariantCulture)}; renew it and add it again"));
        }
        else if (notBefore > now)
        {
            errors.Add(new FieldError(CertificateField, certificate.Subject, $"the certificate is not valid before {notBefore.ToString("u", CultureInfo.InvariantCulture)}; check the issuer's clock or wait"));
        }

        if (!certificate.MatchesHostname(domain))
        {
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
            var covered = names.Count > 0 ? string.Join(", ", names) : certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            errors.Add(new FieldError(CertificateField, certificate.Subject, $"the certificate does not cover {domain} (it covers: {covered}); use a certificate issued for {domain} or a matching wildcard"));
        }
    }
}

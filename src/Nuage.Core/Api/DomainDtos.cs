namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/apps/{app}/domains</c>: the domain, and for HTTPS the PEM contents of the certificate and its key.</summary>
public sealed record AddDomainRequest
{
    public string? Domain { get; init; }

    /// <summary>PEM certificate (leaf first, then any intermediates).</summary>
    public string? Certificate { get; init; }

    /// <summary>PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1); stored sealed, never returned.</summary>
    public string? Key { get; init; }
}

/// <summary>A custom domain of an app; the certificate fields are set when it is served over HTTPS.</summary>
public sealed record DomainDto(
    string Domain,
    bool Https,
    string? CertificateSubject = null,
    string? CertificateThumbprint = null,
    DateTimeOffset? CertificateNotAfter = null)
{
    /// <summary>Set when the certificate is obtained by ACME (server started with <c>--acme-email</c>).</summary>
    public DomainAcmeDto? Acme { get; init; }
}

/// <summary>
/// ACME state of a domain: <c>pending</c> (no certificate yet), <c>valid</c> (served; renewal planned at <paramref name="NextAttemptAt"/>)
/// or <c>failed</c> (<paramref name="LastError"/> holds the CA's problem detail; retried at <paramref name="NextAttemptAt"/>).
/// </summary>
public sealed record DomainAcmeDto(string Status, DateTimeOffset NextAttemptAt, int Failures, string? LastError);

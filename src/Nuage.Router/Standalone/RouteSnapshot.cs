namespace Nuage.Router.Standalone;

/// <summary>
/// Everything a router process serves, sent whole by the server (never deltas, so resending is harmless) and persisted by the
/// router so it can start serving alone.
/// </summary>
/// <param name="Generation">Newer snapshots replace older ones; older ones are refused.</param>
/// <param name="Routes">Every app's route; apps missing here are removed.</param>
/// <param name="Certificates">Every HTTPS certificate, by domain; domains missing here stop being served.</param>
public sealed record RouteSnapshot(SnapshotGeneration Generation, IReadOnlyList<AppRoute> Routes, IReadOnlyList<SnapshotCertificate> Certificates)
{
    /// <summary>ACME HTTP-01 and TLS-ALPN-01 answers being validated now (see <see cref="NuageRouter.SetAcmeChallenge"/>).</summary>
    public IReadOnlyList<SnapshotChallenge> Challenges { get; init; } = [];
}

/// <summary>One domain's certificate as PEM: the leaf, its private key (PKCS#8) and the intermediates sent in the handshake.</summary>
public sealed record SnapshotCertificate(string Domain, string CertificatePem, string KeyPem, string ChainPem);

/// <summary>
/// One ACME answer: for <see cref="Acme.AcmeChallengeTypes.Http01"/> served at <c>http://Domain/.well-known/acme-challenge/Token</c>,
/// for <see cref="Acme.AcmeChallengeTypes.TlsAlpn01"/> as a challenge certificate the router makes from the key authorization.
/// </summary>
public sealed record SnapshotChallenge(string Domain, string Token, string KeyAuthorization)
{
    /// <summary>The challenge type; HTTP-01 when absent (snapshots written before TLS-ALPN-01).</summary>
    public string Type { get; init; } = Acme.AcmeChallengeTypes.Http01;
}

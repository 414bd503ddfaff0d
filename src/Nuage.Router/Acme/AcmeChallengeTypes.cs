namespace Nuage.Router.Acme;

/// <summary>The ACME challenge types the router can answer (names as in RFC 8555 §8 and RFC 8737).</summary>
public static class AcmeChallengeTypes
{
    /// <summary>A file at <c>http://DOMAIN/.well-known/acme-challenge/TOKEN</c> on the HTTP listener (port 80).</summary>
    public const string Http01 = "http-01";

    /// <summary>A self-signed certificate served for the <c>acme-tls/1</c> ALPN protocol on the HTTPS listener (port 443).</summary>
    public const string TlsAlpn01 = "tls-alpn-01";

    public static IReadOnlyList<string> All { get; } = [Http01, TlsAlpn01];
}

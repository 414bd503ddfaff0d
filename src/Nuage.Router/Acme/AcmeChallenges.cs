using System.Collections.Frozen;
using System.Net.Security;
using Microsoft.AspNetCore.Http;
using Nuage.Router.Standalone;

namespace Nuage.Router.Acme;

/// <summary>
/// ACME answers while an order is being validated, in memory only (nothing is ever read from disk for them). HTTP-01
/// (RFC 8555 §8.3): the key authorization at <c>http://DOMAIN/.well-known/acme-challenge/TOKEN</c>, keyed by domain and
/// token, so a token published for one domain is not answered on another; unknown tokens go to the app. TLS-ALPN-01
/// (RFC 8737): a challenge certificate per domain, handed to the TLS handshake of clients offering <c>acme-tls/1</c>.
/// </summary>
internal sealed class AcmeChallenges(TimeProvider time)
{
    public const string PathPrefix = "/.well-known/acme-challenge/";
    private readonly Lock _write = new();
    private volatile FrozenDictionary<string, string> _answers = FrozenDictionary<string, string>.Empty;
    private volatile FrozenDictionary<string, TlsAlpnAnswer> _tlsAlpn = FrozenDictionary<string, TlsAlpnAnswer>.Empty;

    public bool IsEmpty => _answers.Count == 0;

    /// <summary>True while a TLS-ALPN-01 answer is published: only then are HTTPS ClientHellos peeked at.</summary>
    public bool HasTlsAlpn => _tlsAlpn.Count > 0;

    public void Set(string domain, string token, string keyAuthorization, string type = AcmeChallengeTypes.Http01)
    {
        lock (_write)
        {
            if (type == AcmeChallengeTypes.TlsAlpn01)
            {
                var answers = new Dictionary<string, TlsAlpnAnswer>(_tlsAlpn, StringComparer.Ordinal) { [Normalize(domain)] = Answer(domain, token, keyAuthorization) };
                _tlsAlpn = answers.ToFrozenDictionary(StringComparer.Ordinal);
                return;
            }

            var next = new Dictionary<string, string>(_answers, StringComparer.Ordinal) { [Key(domain, token)] = keyAuthorization };
            _answers = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    public bool Remove(string domain, string token)
    {
        lock (_write)
        {
            var next = new Dictionary<string, string>(_answers, StringComparer.Ordinal);
            var removed = next.Remove(Key(domain, token));
            _answers = next.ToFrozenDictionary(StringComparer.Ordinal);
            if (_tlsAlpn.TryGetValue(Normalize(domain), out var answer) && answer.Token == token)
            {
                var answers = new Dictionary<string, TlsAlpnAnswer>(_tlsAlpn, StringComparer.Ordinal);
                answers.Remove(Normalize(domain));
                _tlsAlpn = answers.ToFrozenDictionary(StringComparer.Ordinal);
                removed = true;
            }

            return removed;
        }
    }

    /// <summary>Replaces every answer (a router process applying a snapshot); unchanged TLS-ALPN answers keep their certificate.</summary>
    public void ReplaceAll(IEnumerable<SnapshotChallenge> challenges)
    {
        lock (_write)
        {
            var all = challenges.ToList();
            _answers = all.Where(c => c.Type != AcmeChallengeTypes.TlsAlpn01)
                .ToDictionary(c => Key(c.Domain, c.Token), c => c.KeyAuthorization, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);
            _tlsAlpn = all.Where(c => c.Type == AcmeChallengeTypes.TlsAlpn01)
                .ToDictionary(
                    c => Normalize(c.Domain),
                    c => _tlsAlpn.TryGetValue(Normalize(c.Domain), out var kept) && kept.Token == c.Token && kept.KeyAuthorization == c.KeyAuthorization ? kept : Answer(c.Domain, c.Token, c.KeyAuthorization),
                    StringComparer.Ordinal)
                .ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<SnapshotChallenge> All() =>
    [
        .. _answers.Select(pair => pair.Key.Split('\n') is [var domain, var token] ? new SnapshotChallenge(domain, token, pair.Value) : null).OfType<SnapshotChallenge>(),
        .. _tlsAlpn.Select(pair => new SnapshotChallenge(pair.Key, pair.Value.Token, pair.Value.KeyAuthorization) { Type = AcmeChallengeTypes.TlsAlpn01 }),
    ];

    /// <summary>The challenge certificate for a TLS-ALPN-01 handshake with this server name, when one is published.</summary>
    public SslStreamCertificateContext? TlsAlpnCertificate(string? serverName) =>
        serverName is { Length: > 0 } && _tlsAlpn.TryGetValue(Normalize(serverName), out var answer) ? answer.Certificate : null;

    private TlsAlpnAnswer Answer(string domain, string token, string keyAuthorization) =>
        new(token, keyAuthorization, AcmeTlsAlpn.Certificate(Normalize(domain), keyAuthorization, time.GetUtcNow()));

    private sealed record TlsAlpnAnswer(string Token, string KeyAuthorization, SslStreamCertificateContext Certificate);

    /// <summary>The key authorization for this request's host and token, when one is published.</summary>
    public bool TryAnswer(HttpRequest request, out string keyAuthorization)
    {
        keyAuthorization = "";
        var path = request.Path.Value;
        if (path is null || !path.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var token = path[PathPrefix.Length..];
        if (!IsToken(token))
        {
            return false;
        }

        return _answers.TryGetValue(Key(request.Host.Host, token), out keyAuthorization!);
    }

    /// <summary>RFC 8555 tokens are base64url: anything else (a '/', '.', '%') is never an answer.</summary>
    private static bool IsToken(string token)
    {
        if (token.Length is 0 or > 256)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(string domain, string token) => $"{Normalize(domain)}\n{token}";

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();
}

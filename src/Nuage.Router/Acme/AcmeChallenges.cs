using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Nuage.Router.Standalone;

namespace Nuage.Router.Acme;

/// <summary>
/// HTTP-01 answers (RFC 8555 §8.3) the router gives at <c>http://DOMAIN/.well-known/acme-challenge/TOKEN</c> while an order
/// for DOMAIN is being validated. Answers live in memory only, keyed by domain and token: nothing is ever read from disk
/// for this path, and a token published for one domain is not answered on another. Unknown tokens go to the app.
/// </summary>
internal sealed class AcmeChallenges
{
    public const string PathPrefix = "/.well-known/acme-challenge/";
    private readonly Lock _write = new();
    private volatile FrozenDictionary<string, string> _answers = FrozenDictionary<string, string>.Empty;

    public bool IsEmpty => _answers.Count == 0;

    public void Set(string domain, string token, string keyAuthorization)
    {
        lock (_write)
        {
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
            return removed;
        }
    }

    /// <summary>Replaces every answer (a router process applying a snapshot).</summary>
    public void ReplaceAll(IEnumerable<SnapshotChallenge> challenges)
    {
        lock (_write)
        {
            _answers = challenges.ToDictionary(c => Key(c.Domain, c.Token), c => c.KeyAuthorization, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<SnapshotChallenge> All() =>
        [.. _answers.Select(pair => pair.Key.Split('\n') is [var domain, var token] ? new SnapshotChallenge(domain, token, pair.Value) : null).OfType<SnapshotChallenge>()];

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

    private static string Key(string domain, string token) => $"{domain.Trim().TrimEnd('.').ToLowerInvariant()}\n{token}";
}

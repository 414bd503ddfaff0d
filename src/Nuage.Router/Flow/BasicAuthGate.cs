using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Nuage.Router.Flow;

/// <summary>
/// Checks <c>Authorization: Basic</c> against an app's hashed users. A wrong user name costs the same PBKDF2 derivation as a
/// wrong password (no user enumeration by timing), and the comparison is constant-time. Credentials that verified are
/// remembered by their SHA-256 (bounded), so a signed-in client does not pay a PBKDF2 derivation per request.
/// </summary>
internal sealed class BasicAuthGate
{
    private const int MaxRemembered = 1024;
    private static readonly string DummyHash = BasicAuthHashes.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
    private readonly Dictionary<string, string> _hashes;
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);
    private long _derivations;

    public BasicAuthGate(BasicAuthConfig config)
    {
        Config = config;
        _hashes = config.Users.ToDictionary(u => u.User, u => u.Hash, StringComparer.Ordinal);
        Challenge = $"Basic realm=\"{config.Realm}\", charset=\"UTF-8\"";
    }

    public BasicAuthConfig Config { get; }

    /// <summary>The <c>WWW-Authenticate</c> value of a 401.</summary>
    public string Challenge { get; }

    /// <summary>PBKDF2 derivations made so far (tests check unknown users cost one too).</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    /// <summary>The user named by valid credentials in <paramref name="authorization"/>, or null.</summary>
    public string? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || authorization.Length > 1024)
        {
            return null;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        if (_verified.TryGetValue(key, out var known))
        {
            return known;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var user = decoded[..colon];
        var found = _hashes.TryGetValue(user, out var hash);
        Interlocked.Increment(ref _derivations);
        var ok = BasicAuthHashes.Verify(decoded[(colon + 1)..], found ? hash! : DummyHash) && found;
        if (!ok)
        {
            return null;
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[key] = user;
        return user;
    }

    /// <summary>Health-check paths and excluded prefixes are open (the router's own probes never pass through here).</summary>
    public bool IsOpen(string path, IReadOnlyList<string> healthPaths) => IsOpenPath(path, healthPaths, Config.ExcludedPaths);

    /// <summary>True for a health-check path (exactly) or a path under one of <paramref name="excluded"/> (segment-wise).</summary>
    public static bool IsOpenPath(string path, IReadOnlyList<string> healthPaths, IReadOnlyList<string> excluded)
    {
        foreach (var health in healthPaths)
        {
            if (string.Equals(path, health, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var prefix in excluded)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || prefix.EndsWith('/') || path[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Server.Security;

namespace Nuage.Server.WebConsole;

/// <summary>
/// Browser sessions of the web console. A session is created from an API token pasted once; the browser keeps only
/// an opaque random id in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS). The server keeps the token's
/// hash, so every request re-checks the token (a revoked token ends its sessions at once), and a per-session CSRF
/// token that every request changing something must echo in <see cref="CsrfHeader"/>. Sessions live in memory:
/// a server restart signs everyone out, which needs no state migration and leaves nothing on disk.
/// </summary>
internal sealed class ConsoleSessions(TokenAuthenticator authenticator, TimeProvider time)
{
    public const string CookieName = "nuage_session";
    public const string CsrfHeader = "X-Nuage-Csrf";

    /// <summary>A session ends this long after sign-in, whatever its use.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Bounds memory: past this many live sessions the oldest is dropped.</summary>
    public const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Checks the token, opens a session and sets its cookie. The secret itself is not kept.</summary>
    public async Task<(Caller Caller, ConsoleSession Session)> SignInAsync(HttpContext http, string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw NuageException.Invalid("token", null, "paste an API token (nuage_…); 'nuage tokens create' makes one and the first admin token is in the data directory's admin-token file");
        }

        return await OpenAsync(http, TokenSecrets.Hash(secret.Trim()), cancellationToken);
    }

    /// <summary>Opens a session acting as the token with this hash (token sign-in, or an OpenID Connect session token) and sets its cookie.</summary>
    public async Task<(Caller Caller, ConsoleSession Session)> OpenAsync(HttpContext http, string hash, CancellationToken cancellationToken)
    {
        var caller = await authenticator.AuthenticateHashAsync(hash, cancellationToken);
        Prune();
        var session = new ConsoleSession(NewId(), NewId(), hash, time.GetUtcNow() + Lifetime);
        _sessions[session.Id] = session;
        http.Response.Cookies.Append(CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = IsHttps(http),
            Path = "/",
            MaxAge = Lifetime,
        });
        return (caller, session);
    }

    /// <summary>Ends the request's session (if any) and clears its cookie.</summary>
    public void SignOut(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(CookieName, out var id) && id is not null)
        {
            _sessions.TryRemove(id, out _);
        }

        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = IsHttps(http) });
    }

    /// <summary>The live session of the request's cookie, or null when it has none (or an expired or unknown one).</summary>
    public ConsoleSession? Find(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var id) || id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        return session;
    }

    /// <summary>
    /// The caller of a cookie-authenticated API request, or null when the request carries no session cookie.
    /// A request that changes something must come from this origin and carry the session's CSRF token.
    /// </summary>
    public async Task<Caller?> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.Cookies.ContainsKey(CookieName))
        {
            return null;
        }

        var session = Find(http)
            ?? throw NuageException.Unauthorized("The console session has expired or the server restarted; sign in again.");
        if (!IsSafe(http.Request.Method))
        {
            CheckCsrf(http, session);
        }

        var org = http.Request.Headers[TokenAuthenticator.OrgHeader].ToString();
        return await authenticator.AuthenticateHashAsync(session.TokenHash, org, cancellationToken);
    }

    /// <summary>Refuses a state-changing request without the session's CSRF token or from another origin.</summary>
    public static void CheckCsrf(HttpContext http, ConsoleSession session)
    {
        var presented = http.Request.Headers[CsrfHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(session.Csrf)))
        {
            throw new NuageException(ErrorKind.Forbidden, ErrorCodes.CsrfFailed,
                $"This request changes something and lacks the console's {CsrfHeader} header; reload the console and try again.");
        }

        if (!IsSameOrigin(http))
        {
            throw new NuageException(ErrorKind.Forbidden, ErrorCodes.CsrfFailed,
                $"Origin \"{http.Request.Headers.Origin}\" is not this console's; requests that change something must come from the console's own pages.");
        }
    }

    /// <summary>
    /// True when the request has no Origin (not sent by every browser for same-origin requests) or one naming this
    /// server's host and port. The scheme is not compared: behind a TLS-terminating proxy the browser says https and
    /// Kestrel sees http, while the host (kept by proxies) is what tells this console from another site.
    /// </summary>
    public static bool IsSameOrigin(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>HTTPS here, or at a proxy in front that says so (trusting it can only make the cookie stricter).</summary>
    public static bool IsHttps(HttpContext http) =>
        http.Request.IsHttps || string.Equals(http.Request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase);

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }

        while (_sessions.Count >= MaxSessions && _sessions.Values.MinBy(s => s.ExpiresAt) is { } oldest)
        {
            _sessions.TryRemove(oldest.Id, out _);
        }
    }

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One signed-in browser: its cookie id, CSRF token, the token hash it acts as, and when it ends.</summary>
internal sealed record ConsoleSession(string Id, string Csrf, string TokenHash, DateTimeOffset ExpiresAt);

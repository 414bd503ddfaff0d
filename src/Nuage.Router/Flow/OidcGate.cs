using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Oidc;

namespace Nuage.Router.Flow;

/// <summary>
/// OpenID Connect in front of one app (the OAuth2-Proxy pattern). A visitor without a valid session cookie is sent to the
/// issuer (authorization code, PKCE S256, state and nonce kept in a sealed cookie for ten minutes); the issuer sends them
/// back to <see cref="OidcPaths.Callback"/> on the app's own host, where the code is exchanged and the ID token checked
/// (signature, iss, aud, exp, nonce). The session is refreshed with the refresh token shortly before the access token
/// expires, and ends after <see cref="OidcAuthConfig.SessionLifetimeSeconds"/> whatever the refreshes. Every failure ends on
/// an error page naming the request id; an expired sign-in state is retried once automatically, never more.
/// </summary>
internal sealed partial class OidcGate
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);
    private readonly OidcCookies _cookies;
    private readonly HashSet<string> _emails;
    private readonly HashSet<string> _domains;
    private readonly string _scope;

    public OidcGate(OidcAuthConfig config)
    {
        Config = config;
        _cookies = new OidcCookies(Convert.FromBase64String(config.SessionKey), config.ClientId);
        _emails = new HashSet<string>(config.AllowedEmails, StringComparer.OrdinalIgnoreCase);
        _domains = new HashSet<string>(config.AllowedDomains, StringComparer.OrdinalIgnoreCase);
        _scope = string.Join(' ', config.Scopes.Prepend("openid").Distinct(StringComparer.Ordinal));
    }

    public OidcAuthConfig Config { get; }

    /// <summary>Answers the request (redirect, callback, sign-out, error, 401/403) and returns true, or lets it through (identity set) and returns false.</summary>
    public async ValueTask<bool> TryAnswerAsync(HttpContext context, AppRoute route, FlowEnvironment environment, string path)
    {
        if (path.StartsWith(OidcPaths.Prefix, StringComparison.Ordinal))
        {
            if (path == OidcPaths.Callback)
            {
                await CallbackAsync(context, route, environment);
            }
            else if (path == OidcPaths.SignOut)
            {
                SignOut(context, environment);
            }
            else
            {
                await OidcPages.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "This path belongs to the sign-in of this app.");
            }

            return true;
        }

        if (BasicAuthGate.IsOpenPath(path, route.HealthPaths, Config.ExcludedPaths))
        {
            context.Features.Set(FlowIdentity.Anonymous);
            return false;
        }

        var secure = environment.IsHttps(context);
        var session = _cookies.ReadSession(context.Request);
        var now = environment.Time.GetUtcNow();
        if (session is not null && session.SessionExpires <= now.ToUnixTimeSeconds())
        {
            _cookies.DeleteSession(context, secure);
            session = null;
        }

        if (session is not null && session.RefreshToken is not null && session.AccessExpires > 0
            && DateTimeOffset.FromUnixTimeSeconds(session.AccessExpires) - RefreshMargin <= now)
        {
            session = await RefreshAsync(context, route, environment, session);
        }

        if (session is null)
        {
            await StartSignInAsync(context, route, environment, ReturnTo(context.Request), retried: false);
            return true;
        }

        if (!IsAllowed(session))
        {
            FlowLog.Refused(environment.Logger, route.AppId, session.Email ?? session.User, context.TraceIdentifier);
            await OidcPages.WriteAsync(context, StatusCodes.Status403Forbidden, "Access denied",
                $"You are signed in as {session.Email ?? session.User}, who may not use this app. Ask its owner for access, or sign out and use another account.",
                signOut: true);
            return true;
        }

        context.Features.Set(new FlowIdentity(session.User)
        {
            Email = session.Email,
            Groups = session.Groups.Count == 0 ? null : string.Join(',', session.Groups),
            AccessToken = Config.PassAccessToken ? session.AccessToken : null,
            KeepAuthorization = true,
        });
        return false;
    }

    /// <summary>Emails/domains (when any is set) and groups (when any is set) must both match; an email the issuer says is unverified never matches.</summary>
    internal bool IsAllowed(OidcSession session)
    {
        if (_emails.Count > 0 || _domains.Count > 0)
        {
            var email = session.Email;
            var at = email?.LastIndexOf('@') ?? -1;
            if (email is null || at <= 0 || !(_emails.Contains(email) || _domains.Contains(email[(at + 1)..])))
            {
                return false;
            }
        }

        return Config.AllowedGroups.Count == 0 || session.Groups.Any(g => Config.AllowedGroups.Contains(g, StringComparer.Ordinal));
    }

    private async Task StartSignInAsync(HttpContext context, AppRoute route, FlowEnvironment environment, string returnTo, bool retried)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            // A redirect would lose the body: the page (or script) signs in first, then sends it again.
            await OidcPages.WriteAsync(context, StatusCodes.Status401Unauthorized, "Sign-in required", "This app is protected: open it in a browser to sign in, then send the request again.");
            return;
        }

        OidcIssuerEntry issuer;
        try
        {
            issuer = await environment.Issuers.GetAsync(Config.Issuer, Config.ClientId, context.RequestAborted);
        }
        catch (OidcIssuerException e)
        {
            await IssuerDownAsync(context, route, environment, e.Message);
            return;
        }

        var secure = environment.IsHttps(context);
        var verifier = RandomText(32);
        var state = new OidcLoginState(
            RandomText(24), RandomText(24), verifier, $"{(secure ? "https" : "http")}://{request.Host.Value}{OidcPaths.Callback}", returnTo,
            (environment.Time.GetUtcNow() + StateLifetime).ToUnixTimeSeconds(), retried);
        _cookies.WriteState(context, state, secure, StateLifetime);
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = QueryString.Create(new KeyValuePair<string, string?>[]
        {
            new("response_type", "code"), new("client_id", Config.ClientId), new("redirect_uri", state.RedirectUri), new("scope", _scope),
            new("state", state.State), new("nonce", state.Nonce), new("code_challenge", challenge), new("code_challenge_method", "S256"),
        });
        var authorize = issuer.AuthorizationEndpoint.ToString();
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = authorize + (authorize.Contains('?', StringComparison.Ordinal) ? "&" + query.Value![1..] : query.Value);
        context.Response.Headers.CacheControl = "no-store";
    }

    private void SignOut(HttpContext context, FlowEnvironment environment)
    {
        var secure = environment.IsHttps(context);
        _cookies.DeleteSession(context, secure);
        _cookies.DeleteState(context, secure);
        var target = context.Request.Query["rd"].ToString();
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = IsLocal(target) ? target : "/";
        context.Response.Headers.CacheControl = "no-store";
    }

    private Task IssuerDownAsync(HttpContext context, AppRoute route, FlowEnvironment environment, string reason)
    {
        FlowLog.IssuerUnreachable(environment.Logger, route.AppId, Config.Issuer, reason, context.TraceIdentifier);
        return OidcPages.WriteAsync(context, StatusCodes.Status502BadGateway, "Sign-in unavailable",
            "The sign-in service of this app does not answer. Try again in a moment; if it lasts, tell the app's owner the request id below.");
    }

    private static string ReturnTo(HttpRequest request)
    {
        var target = $"{request.PathBase}{request.Path}{request.QueryString}";
        return IsLocal(target) ? target : "/";
    }

    /// <summary>A path on this host (<c>/x</c>), never <c>//evil.example</c> or <c>/\evil.example</c> (open redirects).</summary>
    internal static bool IsLocal(string target) =>
        target.Length is > 0 and <= 4000 && target[0] == '/' && (target.Length == 1 || (target[1] != '/' && target[1] != '\\')) && !target.Any(char.IsControl);

    private static string RandomText(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Audit;
using Nuage.Core.Errors;
using Nuage.Server.Api;
using Nuage.Server.Audit;
using Nuage.Server.Oidc;
using Nuage.Server.Security;

namespace Nuage.Server.WebConsole;

/// <summary>
/// "Sign in with …" on the console: <c>GET /console/oidc/providers</c> lists the trusted issuers for the sign-in page,
/// <c>/console/oidc/start</c> sends the browser to the issuer (authorization code + PKCE, state, nonce; the state is
/// bound to this browser by a short-lived cookie) and <c>/console/oidc/callback</c> takes the issuer's answer, opens
/// the same console session (cookie + CSRF token) a pasted token gives, and sends the browser to the console. Any
/// failure is a plain page naming what went wrong with a link back to the sign-in page: never an automatic redirect,
/// so a failing issuer cannot cause a loop.
/// </summary>
internal static class ConsoleOidcEndpoints
{
    public const string CallbackPath = "/console/oidc/callback";

    /// <summary>Binds a started sign-in to the browser that started it (login CSRF, forged callbacks).</summary>
    public const string BindingCookie = "nuage_oidc";

    /// <summary>The <c>return</c> parameter: a console page (<c>/#/apps/NAME</c>) to show after sign-in.</summary>
    public const string ReturnParameter = "return";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var oidc = endpoints.MapGroup("/console/oidc").ExcludeFromDescription();
        oidc.MapGet("/providers", (OidcIssuers issuers) =>
            issuers.All.Select(e => new ConsoleProviderDto(e.Issuer.Issuer, e.Issuer.DisplayName, e.Issuer.AuthorizationEndpoint is not null)).ToList());
        oidc.MapGet("/start", (HttpContext http, OidcCodeLogins logins, OidcStartLimiter limiter) =>
        {
            try
            {
                limiter.Check(http);
                var returnTo = http.Request.Query[ReturnParameter].ToString();
                if (returnTo.Length > 0 && !ConsoleReturnPath.IsSafe(returnTo))
                {
                    throw NuageException.Invalid(ReturnParameter, returnTo, "give a console page such as /#/apps/NAME (a path on this server starting with /#/)");
                }

                var started = logins.Begin(http.Request.Query["issuer"].ToString(), CallbackUri(http), returnTo.Length > 0 ? returnTo : null);
                http.Response.Cookies.Append(BindingCookie, started.Binding, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax, // it must come back with the issuer's top-level redirect to the callback
                    Secure = ConsoleSessions.IsHttps(http),
                    Path = "/console/oidc",
                    MaxAge = OidcCodeLogins.Lifetime,
                });
                return Results.Redirect(started.AuthorizationUrl);
            }
            catch (NuageException e)
            {
                return ErrorPage(http, e);
            }
        });
        oidc.MapGet("/callback", async (HttpContext http, OidcCodeLogins logins, ConsoleSessions sessions, TokenAuthenticator authenticator, AuditTrail audit) =>
        {
            var query = http.Request.Query;
            http.Response.Cookies.Delete(BindingCookie, new CookieOptions { Path = "/console/oidc", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = ConsoleSessions.IsHttps(http) });
            try
            {
                var result = await logins.CompleteAsync(query["state"].ToString(), http.Request.Cookies[BindingCookie],
                    query["code"].ToString(), query["error"].ToString(), query["error_description"].ToString(), http.RequestAborted);
                var (caller, _) = await sessions.OpenAsync(http, TokenSecrets.Hash(result.Session.Secret), http.RequestAborted);
                await audit.RecordAsync(caller, AuditEntryPoints.Console, "GET " + CallbackPath, result.Session.Org, http.TraceIdentifier, AuditOutcomes.Success, null);
                return Results.Redirect(result.ReturnTo is { } page && ConsoleReturnPath.IsSafe(page) ? page : "/");
            }
            catch (NuageException e)
            {
                await audit.RecordAsync(null, AuditEntryPoints.Console, "GET " + CallbackPath, null, http.TraceIdentifier, AuditOutcomes.Refused, $"{e.Code}: {e.Message}");
                return ErrorPage(http, e);
            }
        });
    }

    /// <summary>Where the issuer sends the browser back: this server as the browser reached it (the issuer only accepts registered URLs).</summary>
    public static Uri CallbackUri(HttpContext http) =>
        new($"{(ConsoleSessions.IsHttps(http) ? "https" : "http")}://{http.Request.Host.Value}{CallbackPath}");

    private static IResult ErrorPage(HttpContext http, NuageException e)
    {
        var status = ErrorCodes.Find(e.Code)?.HttpStatusOverride ?? Problems.StatusOf(e.Kind);
        http.Response.Headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign-in failed · Nuage</title><link rel="stylesheet" href="/console/style.css"></head>
            <body><main id="main" class="signin">
            <h1>Sign-in failed</h1>
            <p class="error" role="alert" id="signin-error">{WebUtility.HtmlEncode(e.Message)}</p>
            <p class="hint">Code: <code>{WebUtility.HtmlEncode(e.Code)}</code></p>
            <p><a href="/">Back to the sign-in page</a></p>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}

/// <summary>One "Sign in with …" button: the issuer and its label.</summary>
internal sealed record ConsoleProviderDto(string Issuer, string Name, bool Browser);

/// <summary>
/// Which <c>return</c> values are console pages: a path on this server made of the console's route characters,
/// starting with <c>/#/</c>. Anything else (another host, <c>//host</c>, a scheme, backslashes) would make the
/// callback an open redirect.
/// </summary>
internal static class ConsoleReturnPath
{
    public static bool IsSafe(string value) =>
        value.Length <= 200 && value.StartsWith("/#/", StringComparison.Ordinal) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '#' or '-' or '_' or '.' or '~');
}

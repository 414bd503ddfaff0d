using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;
using Nuage.Server.Audit;
using Nuage.Server.Security;

namespace Nuage.Server.Oidc;

/// <summary>
/// <c>POST /v1/auth/oidc/device</c> and <c>/device/poll</c> (device flow), <c>/code</c> and <c>/code/complete</c>
/// (browser flow with a loopback redirect): anonymous (they are how a user gets a token); starts are rate-limited per
/// client address (<see cref="OidcStartLimiter"/>). The audit
/// trail records each start, the refusal reason of a failed sign-in, and a successful one under the new session
/// (token and email); polls that are still pending are not changes and are not recorded.
/// </summary>
internal static class OidcEndpoints
{
    public const string AnonymousPrefix = "/v1/auth/oidc";

    public static void Map(IEndpointRouteBuilder v1)
    {
        var oidc = v1.MapGroup("/auth/oidc").WithTags("Sign-in");
        oidc.MapPost("/device", (OidcDeviceStartRequest? request, HttpContext http, OidcDeviceLogins logins, OidcStartLimiter limiter) =>
        {
            limiter.Check(http);
            return logins.StartAsync(request?.Issuer, http.RequestAborted);
        });
        oidc.MapPost("/code", (OidcCodeStartRequest? request, HttpContext http, OidcCodeLogins logins, OidcStartLimiter limiter) =>
        {
            limiter.Check(http);
            var redirect = LoopbackRedirect.Parse(request?.RedirectUri);
            var started = logins.Begin(request?.Issuer, redirect, returnTo: null);
            return new OidcCodeStartDto(started.Binding, started.State, started.AuthorizationUrl, started.Issuer);
        });
        oidc.MapPost("/code/complete", async (OidcCodeCompleteRequest? request, HttpContext http, OidcCodeLogins logins, TokenAuthenticator authenticator) =>
        {
            OidcCodeResult result;
            try
            {
                result = await logins.CompleteAsync(request?.State, request?.Handle, request?.Code, request?.Error, request?.ErrorDescription, http.RequestAborted);
            }
            catch (Core.Errors.NuageException e)
            {
                RestAudit.Explain(http, e.Message);
                throw;
            }

            await AttributeAsync(http, authenticator, result.Session);
            return Done(result.Session, 0);
        });
        oidc.MapPost("/device/poll", async (OidcDevicePollRequest? request, HttpContext http, OidcDeviceLogins logins, TokenAuthenticator authenticator) =>
        {
            OidcDevicePollDto answer;
            OidcSession? session;
            try
            {
                (answer, session) = await logins.PollAsync(request?.Handle, http.RequestAborted);
            }
            catch (Core.Errors.NuageException e)
            {
                RestAudit.Explain(http, e.Message); // the audit trail keeps which check refused the sign-in
                throw;
            }

            if (session is null)
            {
                RestAudit.Skip(http);
            }
            else
            {
                await AttributeAsync(http, authenticator, session);
            }

            return answer;
        });
    }

    /// <summary>The audit entry of a successful sign-in names the new session (its token and email) and its organisation.</summary>
    private static async Task AttributeAsync(HttpContext http, TokenAuthenticator authenticator, OidcSession session)
    {
        var caller = await authenticator.AuthenticateAsync(session.Secret, http.RequestAborted);
        caller.Activity.Target = session.Org;
        http.SetCaller(caller);
    }

    /// <summary>The answer of a finished sign-in: the session token's secret (shown once), its organisation and role.</summary>
    public static OidcDevicePollDto Done(OidcSession session, int interval) => new(OidcDevicePollDto.Done, interval)
    {
        Token = session.Secret,
        TokenId = session.Token.Id,
        User = session.Email,
        Org = session.Org,
        Role = Core.Auth.Roles.Name(session.Token.Role),
        ExpiresAt = session.Token.ExpiresAt,
    };
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;
using Nuage.Server.Audit;
using Nuage.Server.Security;

namespace Nuage.Server.Oidc;

/// <summary>
/// <c>POST /v1/auth/oidc/device</c> and <c>/device/poll</c>: anonymous (they are how a user gets a token). The audit
/// trail records each start, the refusal reason of a failed sign-in, and a successful one under the new session
/// (token and email); polls that are still pending are not changes and are not recorded.
/// </summary>
internal static class OidcEndpoints
{
    public const string AnonymousPrefix = "/v1/auth/oidc";

    public static void Map(IEndpointRouteBuilder v1)
    {
        var oidc = v1.MapGroup("/auth/oidc").WithTags("Sign-in");
        oidc.MapPost("/device", (OidcDeviceStartRequest? request, HttpContext http, OidcDeviceLogins logins) =>
            logins.StartAsync(request?.Issuer, http.RequestAborted));
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
                var caller = await authenticator.AuthenticateAsync(session.Secret, http.RequestAborted);
                caller.Activity.Target = session.Org;
                http.SetCaller(caller);
            }

            return answer;
        });
    }
}

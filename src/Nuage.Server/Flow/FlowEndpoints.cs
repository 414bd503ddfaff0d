using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Flow;

/// <summary><c>/v1/apps/{app}/flow</c> (read: viewer, replace: developer) and <c>/v1/apps/{app}/protect</c> (developer: basic users, oidc, off).</summary>
internal static class FlowEndpoints
{
    public static void Map(RouteGroupBuilder apps)
    {
        var flow = apps.MapGroup("/{app}/flow").WithTags("Request flow");
        flow.MapGet("/", (string app, HttpContext http, FlowService service) => service.GetAsync(http.Caller(), app, http.RequestAborted));
        flow.MapPut("/", (string app, FlowDto request, HttpContext http, FlowService service) => service.SetAsync(http.Caller(), app, request, http.RequestAborted));
        flow.MapPost("/cache/purge", (string app, HttpContext http, FlowService service) => service.PurgeCacheAsync(http.Caller(), app, http.RequestAborted));

        var protect = apps.MapGroup("/{app}/protect").WithTags("Request flow");
        protect.MapPut("/basic/users/{user}", (string app, string user, ProtectUserRequest request, HttpContext http, FlowService service) =>
            service.SetUserAsync(http.Caller(), app, user, request, http.RequestAborted));
        protect.MapDelete("/basic/users/{user}", (string app, string user, HttpContext http, FlowService service) =>
            service.RemoveUserAsync(http.Caller(), app, user, http.RequestAborted));
        protect.MapPut("/oidc", (string app, OidcProtectionDto request, HttpContext http, FlowService service) =>
            service.ProtectOidcAsync(http.Caller(), app, request, http.RequestAborted));
        protect.MapDelete("/", (string app, HttpContext http, FlowService service) => service.UnprotectAsync(http.Caller(), app, http.RequestAborted));
    }
}

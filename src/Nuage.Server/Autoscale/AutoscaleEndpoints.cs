using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Autoscale;

/// <summary><c>/v1/apps/{app}/autoscale</c>: the app's autoscaling policy and latest decisions (set/off: developer; read: viewer).</summary>
internal static class AutoscaleEndpoints
{
    public static void Map(RouteGroupBuilder apps)
    {
        apps.MapGet("/{app}/autoscale", (string app, HttpContext http, AutoscalePolicies policies) =>
            policies.GetAsync(http.Caller(), app, http.RequestAborted));
        apps.MapPut("/{app}/autoscale", (string app, AutoscaleRequest request, HttpContext http, AutoscalePolicies policies) =>
            policies.SetAsync(http.Caller(), app, request, http.RequestAborted));
        apps.MapDelete("/{app}/autoscale", (string app, HttpContext http, AutoscalePolicies policies) =>
            policies.DeleteAsync(http.Caller(), app, http.RequestAborted));
    }
}

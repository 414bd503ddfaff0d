using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Apps;

/// <summary>scale, restart, stop, start and the instance list of an app.</summary>
internal static class AppOperationsEndpoints
{
    public static void Map(RouteGroupBuilder apps)
    {
        apps.MapPost("/{app}/scale", (string app, ScaleRequest request, HttpContext http, AppOperations ops) =>
            ops.ScaleAsync(http.Caller(), app, request, http.RequestAborted));
        apps.MapPost("/{app}/restart", (string app, HttpContext http, AppOperations ops) =>
            ops.RestartAsync(http.Caller(), app, http.RequestAborted));
        apps.MapPost("/{app}/stop", (string app, HttpContext http, AppOperations ops) =>
            ops.StopAsync(http.Caller(), app, http.RequestAborted));
        apps.MapPost("/{app}/start", (string app, HttpContext http, AppOperations ops) =>
            ops.StartAsync(http.Caller(), app, http.RequestAborted));
        apps.MapGet("/{app}/instances", (string app, HttpContext http, AppOperations ops) =>
            ops.ListInstancesAsync(http.Caller(), app, http.RequestAborted));
    }
}

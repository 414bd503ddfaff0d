using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Server.Api;

namespace Nuage.Server.Usage;

/// <summary><c>/v1/usage</c>: metered instance-seconds and their cost (accountant and above; the operator sees all).</summary>
internal static class UsageEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var usage = v1.MapGroup("/usage").WithTags("Usage");
        usage.MapGet("/", (HttpContext http, UsageService service, string? org, string? app, string? from, string? to) =>
            service.ReportAsync(http.Caller(), org, app, from, to, http.RequestAborted));
    }
}

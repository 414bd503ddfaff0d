using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Server.Api;
using Nuage.Server.Security;

namespace Nuage.Server.Metrics;

/// <summary>
/// <c>/metrics</c> (Prometheus text, needs a bearer token with at least the viewer role — the same tokens as the API)
/// and <c>/v1/metrics/summary</c> (the JSON view of <c>nuage metrics</c>).
/// </summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder v1)
    {
        endpoints.MapGet("/metrics", async (HttpContext http, TokenAuthenticator authenticator, MetricsService metrics) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            var caller = await authenticator.AuthenticateAsync(secret, http.RequestAborted);
            return TypedResults.Text(await metrics.PrometheusAsync(caller, http.RequestAborted), PrometheusText.ContentType);
        }).WithTags("Metrics");
        v1.MapGet("/metrics/summary", (HttpContext http, MetricsService metrics, string? app) =>
            metrics.SummaryAsync(http.Caller(), app, http.RequestAborted)).WithTags("Metrics");
        v1.MapGet("/metrics/history", (HttpContext http, MetricsHistory history, string? app) =>
            history.ForAsync(http.Caller(), app, http.RequestAborted)).WithTags("Metrics");
    }
}

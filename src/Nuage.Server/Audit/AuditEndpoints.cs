using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Server.Api;

namespace Nuage.Server.Audit;

/// <summary><c>/v1/audit</c>: list the trail (admin of an organisation, or the operator) and verify its hash chain.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var audit = v1.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", (HttpContext http, AuditService service, string? org, string? app, string? since, long? before, int? limit) =>
            service.ListAsync(http.Caller(), org, app, since, before, limit, http.RequestAborted));
        audit.MapGet("/verify", (HttpContext http, AuditService service) => service.VerifyAsync(http.Caller(), http.RequestAborted));
    }
}

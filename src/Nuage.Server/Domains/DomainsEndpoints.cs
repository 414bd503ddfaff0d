using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Domains;

/// <summary><c>/v1/apps/{app}/domains</c>: list (viewer), add and remove (developer) custom domains.</summary>
internal static class DomainsEndpoints
{
    public static void Map(RouteGroupBuilder apps)
    {
        var domains = apps.MapGroup("/{app}/domains").WithTags("Domains");
        domains.MapGet("/", (string app, HttpContext http, DomainService service) =>
            service.ListAsync(http.Caller(), app, http.RequestAborted));
        domains.MapPost("/", async (string app, AddDomainRequest request, HttpContext http, DomainService service) =>
        {
            var added = await service.AddAsync(http.Caller(), app, request, http.RequestAborted);
            return TypedResults.Created($"/v1/apps/{app}/domains/{added.Domain}", added);
        });
        domains.MapDelete("/{domain}", async (string app, string domain, HttpContext http, DomainService service) =>
        {
            await service.RemoveAsync(http.Caller(), app, domain, http.RequestAborted);
            return TypedResults.NoContent();
        });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Usage;

/// <summary><c>/v1/orgs/{org}/budget</c>: an organisation's monthly spending ceiling (set/remove: manager; read: accountant).</summary>
internal static class BudgetEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var budget = v1.MapGroup("/orgs/{org}/budget").WithTags("Usage");
        budget.MapGet("/", (string org, HttpContext http, BudgetService service) => service.GetAsync(http.Caller(), org, http.RequestAborted));
        budget.MapPut("/", (string org, BudgetRequest request, HttpContext http, BudgetService service) =>
            service.SetAsync(http.Caller(), org, request, http.RequestAborted));
        budget.MapDelete("/", async (string org, HttpContext http, BudgetService service) =>
        {
            await service.DeleteAsync(http.Caller(), org, http.RequestAborted);
            return TypedResults.NoContent();
        });
    }
}

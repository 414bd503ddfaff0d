using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Oidc;

/// <summary>
/// <c>/v1/auth/providers</c>: OpenID Connect providers trusted at run time (<see cref="OidcProviders"/>). Platform
/// operator only. Removal names the issuer URL in the query (<c>DELETE /v1/auth/providers?issuer=URL</c>), since it
/// is a URL.
/// </summary>
internal static class OidcProviderEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var providers = v1.MapGroup("/auth/providers").WithTags("Sign-in");
        providers.MapGet("/", (HttpContext http, OidcProviders service) => service.ListAsync(http.Caller(), http.RequestAborted));
        providers.MapPost("/", async (OidcProviderRequest request, HttpContext http, OidcProviders service) =>
            TypedResults.Created("/v1/auth/providers", await service.AddAsync(http.Caller(), request, http.RequestAborted)));
        providers.MapDelete("/", (string? issuer, HttpContext http, OidcProviders service) =>
            service.RemoveAsync(http.Caller(), issuer, http.RequestAborted));
    }
}

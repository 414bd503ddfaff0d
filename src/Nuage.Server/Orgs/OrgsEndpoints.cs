using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Orgs;

/// <summary><c>/v1/orgs</c>: organisations and their members. The rules live in <see cref="OrgService"/>.</summary>
internal static class OrgsEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var orgs = v1.MapGroup("/orgs").WithTags("Organisations");
        orgs.MapPost("/", async (CreateOrgRequest request, HttpContext http, OrgService service) =>
        {
            var org = await service.CreateAsync(http.Caller(), request, http.RequestAborted);
            return TypedResults.Created($"/v1/orgs/{org.Name}", org);
        });
        orgs.MapGet("/", (HttpContext http, OrgService service) => service.ListAsync(http.Caller(), http.RequestAborted));
        orgs.MapDelete("/{org}", (string org, HttpContext http, OrgService service, bool? confirm) =>
            service.DeleteAsync(http.Caller(), org, confirm ?? false, http.RequestAborted));

        var members = orgs.MapGroup("/{org}/members");
        members.MapGet("/", (string org, HttpContext http, OrgService service) => service.ListMembersAsync(http.Caller(), org, http.RequestAborted));
        members.MapPost("/", async (string org, MemberRequest request, HttpContext http, OrgService service) =>
        {
            var member = await service.AddMemberAsync(http.Caller(), org, request, http.RequestAborted);
            return TypedResults.Created($"/v1/orgs/{org}/members/{member.Email}", member);
        });
        members.MapPut("/{email}", (string org, string email, MemberRequest request, HttpContext http, OrgService service) =>
            service.SetRoleAsync(http.Caller(), org, email, request, http.RequestAborted));
        members.MapDelete("/{email}", async (string org, string email, HttpContext http, OrgService service) =>
        {
            await service.RemoveMemberAsync(http.Caller(), org, email, http.RequestAborted);
            return TypedResults.NoContent();
        });
    }
}

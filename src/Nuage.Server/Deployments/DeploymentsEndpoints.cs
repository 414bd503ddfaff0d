using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Build;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Api;

namespace Nuage.Server.Deployments;

/// <summary>/v1/apps/{app}/deployments, redeploy and rollback.</summary>
internal static class DeploymentsEndpoints
{
    public static void Map(RouteGroupBuilder apps, BuildOptions buildOptions)
    {
        var deployments = apps.MapGroup("/{app}/deployments").WithTags("Deployments");
        deployments.MapPost("/", async (string app, HttpContext http, DeploymentService service, string? commit, string? message, string? kind, bool? cancelPrevious) =>
        {
            var parsedKind = kind switch
            {
                null or "upload" => DeploymentKind.Upload,
                "push" => DeploymentKind.Push,
                _ => throw NuageException.Invalid("kind", kind, "use upload or push"),
            };
            var dto = await service.StartUploadAsync(http.Caller(), app, http.Request.Body, commit, message, parsedKind, cancelPrevious ?? false, http.RequestAborted);
            return TypedResults.Accepted($"/v1/apps/{app}/deployments/{dto.Id}", dto);
        }).WithMetadata(new BodyLimit(buildOptions.MaxUploadBytes + 1));

        deployments.MapGet("/", (string app, HttpContext http, DeploymentService service, string? cursor, int? limit) =>
            service.ListAsync(http.Caller(), app, cursor, limit, http.RequestAborted));
        deployments.MapGet("/{id}", (string app, string id, HttpContext http, DeploymentService service) =>
            service.GetAsync(http.Caller(), app, id, http.RequestAborted));
        deployments.MapGet("/{id}/events", (string app, string id, HttpContext http, DeploymentService service, long? after) =>
            DeploymentEventStream.WriteAsync(http, service.EventsAsync(http.Caller(), app, id, DeploymentEventStream.ResumeAfter(http.Request, after), http.RequestAborted)));

        apps.MapPost("/{app}/redeploy", async (string app, ReleaseRequest? request, HttpContext http, DeploymentService service) =>
            TypedResults.Accepted((string?)null, await service.ReuseAsync(http.Caller(), app, request?.DeploymentId, DeploymentKind.Redeploy, http.RequestAborted)))
            .WithTags("Deployments");
        apps.MapPost("/{app}/rollback", async (string app, ReleaseRequest? request, HttpContext http, DeploymentService service) =>
            TypedResults.Accepted((string?)null, await service.ReuseAsync(http.Caller(), app, request?.DeploymentId, DeploymentKind.Rollback, http.RequestAborted)))
            .WithTags("Deployments");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Build;
using Nuage.Server.Apps;
using Nuage.Server.Deployments;
using Nuage.Server.Env;
using Nuage.Server.Tokens;
using Nuage.Server.Variables;

namespace Nuage.Server.Api;

/// <summary>The REST API under /v1: thin adapters from HTTP to the application services.</summary>
internal sealed class NuageApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");

        v1.MapGet("/whoami", async (HttpContext http, Core.State.IStateStore store) =>
        {
            var caller = http.Caller();
            var org = caller.OrgId is null ? null : await store.Orgs.FindByIdAsync(caller.OrgId, http.RequestAborted);
            return new WhoAmIDto(caller.TokenId, Core.Auth.Roles.Name(caller.Role), caller.Description)
            {
                User = caller.UserEmail,
                Operator = caller.IsOperator,
                Org = org?.Name,
            };
        });

        var apps = v1.MapGroup("/apps").WithTags("Apps");
        apps.MapPost("/", async (CreateAppRequest request, HttpContext http, AppService service) =>
            TypedResults.Created($"/v1/apps/{request.Name}", await service.CreateAsync(http.Caller(), request, http.RequestAborted)));
        apps.MapGet("/", (HttpContext http, AppService service, string? cursor, int? limit) =>
            service.ListAsync(http.Caller(), cursor, limit, http.RequestAborted));
        apps.MapGet("/{app}", (string app, HttpContext http, AppService service) =>
            service.GetAsync(http.Caller(), app, http.RequestAborted));
        apps.MapDelete("/{app}", async (string app, HttpContext http, AppService service) =>
        {
            await service.DeleteAsync(http.Caller(), app, http.RequestAborted);
            return TypedResults.NoContent();
        });

        AppOperationsEndpoints.Map(apps);
        DeploymentsEndpoints.Map(apps, (BuildOptions)endpoints.ServiceProvider.GetService(typeof(BuildOptions))!);
        Logs.LogsEndpoints.Map(apps);
        Domains.DomainsEndpoints.Map(apps);
        Flow.FlowEndpoints.Map(apps);
        Autoscale.AutoscaleEndpoints.Map(apps);
        Metrics.MetricsEndpoints.Map(endpoints, v1);

        var env = apps.MapGroup("/{app}/env").WithTags("Environment");
        env.MapGet("/", (string app, HttpContext http, EnvService service) =>
            service.GetAsync(http.Caller(), app, http.RequestAborted));
        env.MapPut("/", (string app, Dictionary<string, string?> variables, HttpContext http, EnvService service) =>
            service.ReplaceAsync(http.Caller(), app, variables, http.RequestAborted));
        env.MapPost("/check", (string app, EnvCheckRequest? request, HttpContext http, EnvService service) =>
            service.CheckAsync(http.Caller(), app, request, http.RequestAborted));
        env.MapPut("/{name}", (string app, string name, SetVariableRequest request, HttpContext http, EnvService service) =>
            service.SetAsync(http.Caller(), app, name, request.Value, http.RequestAborted));
        env.MapDelete("/{name}", (string app, string name, HttpContext http, EnvService service) =>
            service.RemoveAsync(http.Caller(), app, name, http.RequestAborted));

        VariablesEndpoints.Map(v1);
        Addons.AddonsEndpoints.Map(v1, (Hosting.NuageServerOptions)endpoints.ServiceProvider.GetService(typeof(Hosting.NuageServerOptions))!);

        var tokens = v1.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapPost("/", async (CreateTokenRequest request, HttpContext http, TokenService service) =>
            TypedResults.Created("/v1/tokens", await service.CreateAsync(http.Caller(), request, http.RequestAborted)));
        tokens.MapGet("/", (HttpContext http, TokenService service) => service.ListAsync(http.Caller(), http.RequestAborted));
        tokens.MapDelete("/{id}", async (string id, HttpContext http, TokenService service) =>
        {
            await service.RevokeAsync(http.Caller(), id, http.RequestAborted);
            return TypedResults.NoContent();
        });

        Orgs.OrgsEndpoints.Map(v1);
        Audit.AuditEndpoints.Map(v1);
        Oidc.OidcEndpoints.Map(v1);
        Oidc.OidcProviderEndpoints.Map(v1);
        Usage.UsageEndpoints.Map(v1);
        Usage.BudgetEndpoints.Map(v1);
    }
}

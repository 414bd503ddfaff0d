using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Server.Api;

namespace Nuage.Server.Addons;

/// <summary><c>/v1/addons</c>: managed databases (create, list, status, delete, link, unlink, credentials, restart, plans).</summary>
internal static class AddonsEndpoints
{
    /// <summary>The largest dump an import accepts: the largest disk quota an add-on can have (each add-on's own is checked too).</summary>
    private static long MaxDumpBytes(Hosting.NuageServerOptions options) =>
        Math.Max(options.AddonDiskQuotaBytes ?? 0, Core.Addons.AddonPlans.All.Max(p => (long)p.DiskMiB * 1024 * 1024)) + 1;

    public static void Map(RouteGroupBuilder v1, Hosting.NuageServerOptions options)
    {
        var addons = v1.MapGroup("/addons").WithTags("Add-ons");
        addons.MapGet("/plans", (HttpContext http, AddonService service) => service.Catalog(http.Caller()));
        addons.MapPost("/", async (CreateAddonRequest request, HttpContext http, AddonService service) =>
        {
            var created = await service.CreateAsync(http.Caller(), request, http.RequestAborted);
            return TypedResults.Created($"/v1/addons/{created.Name}", created);
        });
        addons.MapGet("/", (HttpContext http, AddonService service) => service.ListAsync(http.Caller(), http.RequestAborted));
        addons.MapGet("/{addon}", (string addon, HttpContext http, AddonService service) =>
            service.GetAsync(http.Caller(), addon, http.RequestAborted));
        addons.MapDelete("/{addon}", (string addon, bool? force, bool? purge, HttpContext http, AddonService service) =>
            service.DeleteAsync(http.Caller(), addon, force ?? false, http.RequestAborted, purge ?? false));
        addons.MapPost("/{addon}/links", (string addon, LinkAddonRequest request, HttpContext http, AddonService service) =>
            service.LinkAsync(http.Caller(), addon, request, http.RequestAborted));
        addons.MapDelete("/{addon}/links/{app}", (string addon, string app, HttpContext http, AddonService service) =>
            service.UnlinkAsync(http.Caller(), addon, app, http.RequestAborted));
        addons.MapGet("/{addon}/credentials", (string addon, HttpContext http, AddonService service) =>
            service.CredentialsAsync(http.Caller(), addon, http.RequestAborted));
        addons.MapPost("/{addon}/backups", async (string addon, HttpContext http, AddonService service) =>
        {
            var backup = await service.BackupAsync(http.Caller(), addon, http.RequestAborted);
            return TypedResults.Created($"/v1/addons/{addon}/backups/{backup.Id}", backup);
        });
        addons.MapGet("/{addon}/backups", (string addon, HttpContext http, AddonService service) =>
            service.ListBackupsAsync(http.Caller(), addon, http.RequestAborted));
        addons.MapPost("/{addon}/backups/{backup}/restore", (string addon, string backup, RestoreAddonRequest? request, HttpContext http, AddonService service) =>
            service.RestoreAsync(http.Caller(), addon, backup, request?.Into, http.RequestAborted));
        addons.MapPost("/{addon}/credentials/rotate", (string addon, HttpContext http, AddonService service) =>
            service.RotateAsync(http.Caller(), addon, http.RequestAborted));
        addons.MapPut("/{addon}/backup-policy", (string addon, AddonBackupPolicyRequest? request, HttpContext http, AddonService service) =>
            service.SetBackupPolicyAsync(http.Caller(), addon, request, http.RequestAborted));
        addons.MapPost("/{addon}/import", (string addon, ImportAddonRequest? request, HttpContext http, AddonService service) =>
            service.ImportAsync(http.Caller(), addon, request, http.RequestAborted));
        addons.MapPost("/{addon}/import/file", (string addon, string? name, HttpContext http, AddonService service) =>
            service.ImportFileAsync(http.Caller(), addon, http.Request.Body, http.Request.ContentLength, name, http.RequestAborted))
            .WithMetadata(new BodyLimit(MaxDumpBytes(options)));
        addons.MapPost("/{addon}/restart", (string addon, HttpContext http, AddonService service) =>
            service.RestartAsync(http.Caller(), addon, http.RequestAborted));
        Logs.LogsEndpoints.MapAddons(v1);
    }
}

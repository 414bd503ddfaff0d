using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<AddonDto> CreateAddonAsync(CreateAddonRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/addons", Json(request, CliJson.Default.CreateAddonRequest), CliJson.Default.AddonDto, cancellationToken);

    public Task<List<AddonDto>> ListAddonsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/addons", null, CliJson.Default.ListAddonDto, cancellationToken);

    public Task<AddonDto> GetAddonAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/addons/{Uri.EscapeDataString(addon)}", null, CliJson.Default.AddonDto, cancellationToken);

    public Task<DeletedAddonDto> DeleteAddonAsync(string addon, bool force, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/addons/{Uri.EscapeDataString(addon)}?force={(force ? "true" : "false")}", null, CliJson.Default.DeletedAddonDto, cancellationToken);

    /// <summary>Deletes with its backups too (no copy kept for 7 days).</summary>
    public Task<DeletedAddonDto> PurgeAddonAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/addons/{Uri.EscapeDataString(addon)}?force=true&purge=true", null, CliJson.Default.DeletedAddonDto, cancellationToken);

    /// <summary>Links; with <paramref name="restart"/> the server restarts the running app (health-gated) and answers once that ends.</summary>
    public Task<AddonDto> LinkAddonAsync(string addon, string app, bool restart, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/links",
            Json(new LinkAddonRequest { App = app, Restart = restart ? true : null }, CliJson.Default.LinkAddonRequest), CliJson.Default.AddonDto, cancellationToken);

    public Task<AddonDto> UnlinkAddonAsync(string addon, string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/addons/{Uri.EscapeDataString(addon)}/links/{Uri.EscapeDataString(app)}", null, CliJson.Default.AddonDto, cancellationToken);

    public Task<AddonCredentialsDto> AddonCredentialsAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/addons/{Uri.EscapeDataString(addon)}/credentials", null, CliJson.Default.AddonCredentialsDto, cancellationToken);

    public Task<AddonDto> RestartAddonAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/restart", null, CliJson.Default.AddonDto, cancellationToken);

    public Task<AddonCatalogDto> AddonPlansAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/addons/plans", null, CliJson.Default.AddonCatalogDto, cancellationToken);

    public Task<AddonBackupDto> BackupAddonAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/backups", null, CliJson.Default.AddonBackupDto, cancellationToken);

    public Task<List<AddonBackupDto>> ListAddonBackupsAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/addons/{Uri.EscapeDataString(addon)}/backups", null, CliJson.Default.ListAddonBackupDto, cancellationToken);

    public Task<AddonDto> RestoreAddonAsync(string addon, string backup, string? into, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/backups/{Uri.EscapeDataString(backup)}/restore",
            Json(new RestoreAddonRequest { Into = into }, CliJson.Default.RestoreAddonRequest), CliJson.Default.AddonDto, cancellationToken);

    public Task<AddonCredentialsDto> RotateAddonCredentialsAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/credentials/rotate", null, CliJson.Default.AddonCredentialsDto, cancellationToken);

    public Task<AddonImportDto> ImportAddonAsync(string addon, string from, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/import",
            Json(new ImportAddonRequest { From = from }, CliJson.Default.ImportAddonRequest), CliJson.Default.AddonImportDto, cancellationToken);

    public Task<AddonDto> SetAddonBackupPolicyAsync(string addon, AddonBackupPolicyRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/addons/{Uri.EscapeDataString(addon)}/backup-policy",
            Json(request, CliJson.Default.AddonBackupPolicyRequest), CliJson.Default.AddonDto, cancellationToken);

    /// <summary>Uploads a dump file into an add-on (<paramref name="progress"/> gets the bytes sent); returns once the server has loaded and checked it.</summary>
    public Task<AddonImportDto> ImportAddonFileAsync(string addon, string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/import/file?name={Uri.EscapeDataString(Path.GetFileName(path))}",
            new FileUploadContent(path, progress).WithType(), CliJson.Default.AddonImportDto, cancellationToken);
}

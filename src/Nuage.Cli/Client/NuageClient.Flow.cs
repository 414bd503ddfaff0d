using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<FlowDto> GetFlowAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/flow", null, CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> SetFlowAsync(string app, FlowDto flow, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/apps/{Uri.EscapeDataString(app)}/flow", Json(flow, CliJson.Default.FlowDto), CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> PurgeCacheAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/flow/cache/purge", null, CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> SetProtectUserAsync(string app, string user, ProtectUserRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/apps/{Uri.EscapeDataString(app)}/protect/basic/users/{Uri.EscapeDataString(user)}", Json(request, CliJson.Default.ProtectUserRequest), CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> RemoveProtectUserAsync(string app, string user, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/protect/basic/users/{Uri.EscapeDataString(user)}", null, CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> ProtectOidcAsync(string app, OidcProtectionDto request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/apps/{Uri.EscapeDataString(app)}/protect/oidc", Json(request, CliJson.Default.OidcProtectionDto), CliJson.Default.FlowDto, cancellationToken);

    public Task<FlowDto> UnprotectAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/protect", null, CliJson.Default.FlowDto, cancellationToken);
}

using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

/// <summary>The anonymous sign-in endpoints (the server brokers the device authorization grant) (revoking a session is DELETE v1/tokens/{id}).</summary>
public sealed partial class NuageClient
{
    public Task<OidcDeviceDto> StartOidcDeviceLoginAsync(string? issuer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/auth/oidc/device", Json(new OidcDeviceStartRequest { Issuer = issuer }, CliJson.Default.OidcDeviceStartRequest), CliJson.Default.OidcDeviceDto, cancellationToken);

    public Task<OidcDevicePollDto> PollOidcDeviceLoginAsync(string handle, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/auth/oidc/device/poll", Json(new OidcDevicePollRequest { Handle = handle }, CliJson.Default.OidcDevicePollRequest), CliJson.Default.OidcDevicePollDto, cancellationToken);

    public Task<OidcCodeStartDto> StartOidcCodeLoginAsync(string? issuer, string redirectUri, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/auth/oidc/code", Json(new OidcCodeStartRequest { Issuer = issuer, RedirectUri = redirectUri }, CliJson.Default.OidcCodeStartRequest), CliJson.Default.OidcCodeStartDto, cancellationToken);

    public Task<OidcDevicePollDto> CompleteOidcCodeLoginAsync(OidcCodeCompleteRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/auth/oidc/code/complete", Json(request, CliJson.Default.OidcCodeCompleteRequest), CliJson.Default.OidcDevicePollDto, cancellationToken);

    public Task<List<OidcProviderDto>> ListOidcProvidersAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/auth/providers", null, CliJson.Default.ListOidcProviderDto, cancellationToken);

    public Task<OidcProviderDto> AddOidcProviderAsync(OidcProviderRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/auth/providers", Json(request, CliJson.Default.OidcProviderRequest), CliJson.Default.OidcProviderDto, cancellationToken);

    public Task<OidcProviderDto> RemoveOidcProviderAsync(string issuer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "v1/auth/providers?issuer=" + Uri.EscapeDataString(issuer), null, CliJson.Default.OidcProviderDto, cancellationToken);
}

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
}

using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<NetworkStatusDto> NetworkStatusAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/network/status", null, CliJson.Default.NetworkStatusDto, cancellationToken);

    public Task<NetworkChangeDto<BgpPeerDto>> SetBgpPeerAsync(BgpPeerDto peer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/network/peers", Json(peer, CliJson.Default.BgpPeerDto), CliJson.Default.NetworkChangeDtoBgpPeerDto, cancellationToken);

    public Task<List<BgpPeerDto>> ListBgpPeersAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/network/peers", null, CliJson.Default.ListBgpPeerDto, cancellationToken);

    public Task RemoveBgpPeerAsync(string address, int? port, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/network/peers/{Uri.EscapeDataString(address)}{(port is null ? string.Empty : $"?port={port}")}", null, cancellationToken);

    public Task<NetworkChangeDto<BgpPrefixDto>> SetBgpPrefixAsync(BgpPrefixDto prefix, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "v1/network/prefixes", Json(prefix, CliJson.Default.BgpPrefixDto), CliJson.Default.NetworkChangeDtoBgpPrefixDto, cancellationToken);

    public Task<List<BgpPrefixDto>> ListBgpPrefixesAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/network/prefixes", null, CliJson.Default.ListBgpPrefixDto, cancellationToken);

    public Task<NetworkStatusDto> SetPreflightAsync(BgpPreflightDto preflight, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "v1/network/preflight", Json(preflight, CliJson.Default.BgpPreflightDto), CliJson.Default.NetworkStatusDto, cancellationToken);

    public Task RemoveBgpPrefixAsync(string prefix, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/network/prefixes?prefix={Uri.EscapeDataString(prefix)}", null, cancellationToken);
}

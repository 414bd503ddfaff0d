using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<DomainDto> AddDomainAsync(string app, AddDomainRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/domains", Json(request, CliJson.Default.AddDomainRequest), CliJson.Default.DomainDto, cancellationToken);

    public Task<List<DomainDto>> ListDomainsAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/domains", null, CliJson.Default.ListDomainDto, cancellationToken);

    public Task RemoveDomainAsync(string app, string domain, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/domains/{Uri.EscapeDataString(domain)}", null, cancellationToken);
}

using Nuage.Cli.Config;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<UsageReportDto> UsageAsync(string? org, string? app, string? from, string? to, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        foreach (var (name, value) in new[] { ("org", org), ("app", app), ("from", from), ("to", to) })
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        var path = "v1/usage" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        return SendAsync(HttpMethod.Get, path, null, CliJson.Default.UsageReportDto, cancellationToken);
    }
}

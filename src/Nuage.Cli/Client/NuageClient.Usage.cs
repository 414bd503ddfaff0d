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

    public Task<BudgetDto> SetBudgetAsync(string org, decimal monthly, bool hardStop, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/orgs/{Uri.EscapeDataString(org)}/budget", Json(new BudgetRequest { Monthly = monthly, HardStop = hardStop }, CliJson.Default.BudgetRequest), CliJson.Default.BudgetDto, cancellationToken);

    public Task<BudgetDto> GetBudgetAsync(string org, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/orgs/{Uri.EscapeDataString(org)}/budget", null, CliJson.Default.BudgetDto, cancellationToken);

    public Task RemoveBudgetAsync(string org, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/orgs/{Uri.EscapeDataString(org)}/budget", null, cancellationToken);
}

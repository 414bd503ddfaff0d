namespace Nuage.Core.Api;

/// <summary>
/// <c>GET /v1/usage</c>: instance-seconds per app or add-on and flavor (or plan) inside [From, To), with the cost from
/// the operator's price list (null when the server has none or the flavor has no price).
/// </summary>
public sealed record UsageReportDto(
    DateTimeOffset From,
    DateTimeOffset To,
    string? Currency,
    IReadOnlyList<UsageRowDto> Rows,
    IReadOnlyList<UsageFlavorTotalDto> ByFlavor,
    decimal? TotalCost);

/// <param name="Kind"><c>app</c> or <c>addon</c>.</param>
/// <param name="HourlyPrice">The price list's price per hour for this flavor or plan.</param>
public sealed record UsageRowDto(string Org, string Kind, string Name, string Flavor, double InstanceSeconds, decimal? HourlyPrice, decimal? Cost);

public sealed record UsageFlavorTotalDto(string Kind, string Flavor, double InstanceSeconds, decimal? Cost);

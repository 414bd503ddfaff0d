using System.CommandLine;
using System.Globalization;
using System.Text;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage usage [--app A] [--org O] [--from T --to T] [--json|--csv]</c>: metered instance-seconds and their cost.</summary>
internal static class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var org = new Option<string?>("--org") { Description = "This organisation's usage (the operator sees every one by default)" };
        var app = new Option<string?>("--app", "-a") { Description = "Only this app's usage" };
        var from = new Option<string?>("--from") { Description = "Start, e.g. 7d or an ISO 8601 time (default: the start of this month, UTC)" };
        var to = new Option<string?>("--to") { Description = "End, e.g. 1h or an ISO 8601 time (default: now)" };
        var json = CommandActions.JsonOption();
        var csv = new Option<bool>("--csv") { Description = "Print CSV (one row per app or add-on and flavor)" };
        var command = new Command("usage", "Instance-seconds per app, add-on and flavor, and their cost (accountant and above)") { org, app, from, to, json, csv };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var report = await client.UsageAsync(parse.GetValue(org), parse.GetValue(app), parse.GetValue(from), parse.GetValue(to), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(report, CliJson.Default.UsageReportDto);
            }
            else if (parse.GetValue(csv))
            {
                await context.Output.Out.WriteAsync(Csv(report));
            }
            else
            {
                Render(context, report);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Csv(UsageReportDto report)
    {
        var text = new StringBuilder("org,kind,name,flavor,instance_seconds,hourly_price,cost,currency\n");
        foreach (var row in report.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Field(row.Org)},{row.Kind},{Field(row.Name)},{Field(row.Flavor)},{row.InstanceSeconds:0.###},{row.HourlyPrice},{row.Cost},{report.Currency}\n");
        }

        return text.ToString();

        static string Field(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static void Render(CliContext context, UsageReportDto report)
    {
        context.Output.Line(string.Create(CultureInfo.InvariantCulture, $"Usage from {report.From:yyyy-MM-dd HH:mm:ss} to {report.To:yyyy-MM-dd HH:mm:ss} UTC"));
        if (report.Rows.Count == 0)
        {
            context.Output.Line("No usage in this range.");
            return;
        }

        context.Output.Table(
            ["ORG", "KIND", "NAME", "FLAVOR", "INSTANCE-SECONDS", "COST"],
            report.Rows.Select(r => (IReadOnlyList<string>)[r.Org, r.Kind, r.Name, r.Flavor, r.InstanceSeconds.ToString("0.###", CultureInfo.InvariantCulture), Money(r.Cost, report.Currency)]));
        context.Output.Line(report.Currency is null
            ? "No price list on this server: usage has no cost ('nuage server --prices FILE')."
            : $"Total: {Money(report.TotalCost, report.Currency)}");
    }

    private static string Money(decimal? amount, string? currency) =>
        amount is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:0.00####} {currency}") : "-";
}

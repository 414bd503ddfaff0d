using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage metrics</c>: requests, error rate, latency and instance usage since the server started.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var app = new Option<string?>("--app", "-a") { Description = "Only this app (default: every app)" };
        var json = CommandActions.JsonOption();
        var command = new Command("metrics", "Show a short current view of requests and instances (Prometheus: GET /metrics)") { app, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var summary = await client.GetMetricsSummaryAsync(parse.GetValue(app), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(summary, CliJson.Default.MetricsSummaryDto);
                return ExitCodes.Ok;
            }

            context.Output.Table(
                ["APP", "REQUESTS", "5XX", "ERROR RATE", "P50", "P99"],
                summary.Apps.Select(a => (IReadOnlyList<string>)
                [
                    a.App, Number(a.Requests), Number(a.Errors5xx),
                    a.ErrorRate is { } rate ? (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-",
                    Seconds(a.P50Seconds), Seconds(a.P99Seconds),
                ]));
            var instances = summary.Apps.SelectMany(a => a.Instances.Select(i => (App: a.App, Instance: i))).ToList();
            if (instances.Count > 0)
            {
                context.Output.Line();
                context.Output.Table(
                    ["APP", "INSTANCE", "STATUS", "RESTARTS", "CPU", "MEMORY"],
                    instances.Select(x => (IReadOnlyList<string>)
                    [
                        x.App, x.Instance.Instance, x.Instance.Status, Number(x.Instance.Restarts),
                        x.Instance.CpuSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
                        Mib(x.Instance.MemoryBytes) + (x.Instance.MemoryLimitBytes > 0 ? " / " + Mib(x.Instance.MemoryLimitBytes) : string.Empty),
                    ]));
            }

            context.Output.Line();
            context.Output.Line($"log lines ingested {Number(summary.LogLinesIngested)}, dropped {Number(summary.LogLinesDropped)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double? value) => value is { } v ? (v * 1000).ToString("0.#", CultureInfo.InvariantCulture) + "ms" : "-";

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + "MiB";
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Nuage.Core.Logging;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Logs;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_WithoutToken_Is401()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http(token: "");

        using var response = await http.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_Exposition_PassesPromtoolAndCountsIngestedLines()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "one", "two", "three");
        using var http = server.Http();

        var text = await http.GetStringAsync("metrics");
        var path = Path.Combine(server.Scratch, "metrics.txt");
        await File.WriteAllTextAsync(path, text);
        var (code, output) = await RunAsync(text, "promtool", "check", "metrics");

        Assert.True(code == 0, output + "\n" + text);
        Assert.Contains($"nuage_logs_lines_ingested_total{{app=\"demo\",app_id=\"{id}\"}} 3", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE nuage_router_request_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ScrapingWithViewerToken_StoresNuageSeries()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "scraped line");
        var viewer = JsonDocument.Parse((await server.Cli().RunAsync("tokens", "create", "--role", "viewer", "--json")).Output).RootElement.GetProperty("secret").GetString()!;
        var dir = Path.Combine(server.Scratch, "prometheus");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var api = new Uri(server.Url);
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: nuage
                authorization:
                  credentials: {viewer}
                static_configs:
                  - targets: ["127.0.0.1:{api.Port}"]
            """);
        var info = new ProcessStartInfo("prometheus") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { $"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }

        using var prometheus = Process.Start(info)!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            string last = string.Empty;
            await UntilAsync(
                async () =>
                {
                    try
                    {
                        last = await client.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString("nuage_logs_lines_ingested_total{app=\"demo\"}"));
                        return JsonDocument.Parse(last).RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "Prometheus to store a scraped nuage series",
                seconds: 60);
            var up = await client.GetStringAsync("api/v1/query?query=up");
            Assert.Contains("\"1\"]", up, StringComparison.Ordinal);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task MetricsCommand_Json_ListsAppAndIngestedLines()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "a", "b");

        var result = await server.Cli().RunAsync("metrics", "--app", "demo", "--json");
        var table = await server.Cli().RunAsync("metrics");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("demo", json.GetProperty("apps")[0].GetProperty("app").GetString());
        Assert.Equal(2, json.GetProperty("logLinesIngested").GetInt64());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("log lines ingested 2", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployedApp_Metrics_HaveInstanceUsageRouterRequestsAndDeploymentOutcome()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "web");
        await DeployExampleAsync(server, "web", "node");
        using var router = new HttpClient { BaseAddress = server.Server.RouterAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "web.localhost";
        using var answer = await router.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var http = server.Http();

        // The router counts a request once its response has been sent: wait (bounded) until it has.
        var text = await http.GetStringAsync("metrics");
        for (var i = 0; i < 100 && !text.Contains("status_class=\"2xx\"} 1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            text = await http.GetStringAsync("metrics");
        }

        var (code, output) = await RunAsync(text, "promtool", "check", "metrics");
        var summary = await server.Cli().RunAsync("metrics", "--app", "web");

        Assert.True(code == 0, output + "\n" + text);
        Assert.Matches("nuage_router_requests_total\\{app=\"web\",app_id=\"[^\"]+\",status_class=\"2xx\"\\} 1\n", text);
        Assert.Matches("nuage_router_request_duration_seconds_count\\{app=\"web\",app_id=\"[^\"]+\"\\} 1\n", text);
        Assert.Matches("nuage_deployments_total\\{app=\"web\",app_id=\"[^\"]+\",outcome=\"succeeded\"\\} 1\n", text);
        Assert.Matches("nuage_instance_memory_bytes\\{app=\"web\",app_id=\"[^\"]+\",deployment=\"[^\"]+\",instance=\"[^\"]+-web-0\"\\} [1-9]", text);
        Assert.Matches("nuage_instance_cpu_seconds_total\\{app=\"web\"", text);
        Assert.Contains("web-0", summary.Output, StringComparison.Ordinal);
        Assert.Matches(@"web\s+1\s+0\s+0\.0%", summary.Output);
    }

    private static async Task<(int Code, string Output)> RunAsync(string input, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

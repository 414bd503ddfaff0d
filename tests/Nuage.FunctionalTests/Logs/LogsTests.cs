using System.Net;
using System.Text.Json;
using Nuage.Cli;
using Nuage.Cli.Hosting;
using Nuage.Core.Logging;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Logs.Storage;
using Nuage.Server.Hosting;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Logs;

public sealed class LogsTests
{
    [Fact]
    public async Task DeployedApp_Logs_ShowAppOutputBuildOutputAndPlatformEvents()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "web");
        await DeployExampleAsync(server, "web", "node");

        await UntilAsync(async () => (await server.Cli().RunAsync("logs", "--app", "web", "--source", "app")).Output.Contains("listening on", StringComparison.Ordinal), "the app's stdout in its log");
        var app = await server.Cli().RunAsync("logs", "--app", "web", "--source", "app");
        var platform = await server.Cli().RunAsync("logs", "--app", "web", "--source", "platform");
        var all = await server.Cli().RunAsync("logs", "--app", "web", "--json");
        var instance0 = await server.Cli().RunAsync("logs", "--app", "web", "--instance", "0");
        var instance5 = await server.Cli().RunAsync("logs", "--app", "web", "--instance", "5");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ app\[web-0\] stdout: listening on \d+$", app.Output.Split('\n')[0].TrimEnd());
        Assert.Contains("succeeded", platform.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" app[", platform.Output, StringComparison.Ordinal);
        var sources = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("source").GetString()).ToHashSet();
        Assert.Contains("app", sources);
        Assert.Contains("platform", sources);
        Assert.Contains("build", sources);
        Assert.Contains("app[web-0] stdout: listening on", instance0.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, instance5.Output);
    }

    [Fact]
    public async Task Logs_WithSearchAndSource_ReturnOnlyMatchingLines()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "GET /checkout failed", "GET /home ok");
        await WriteAsync(server, id, LogSource.Platform, "checkout scaled to 2");

        var search = await server.Cli().RunAsync("logs", "--app", "demo", "--search", "CHECKOUT");
        var searchApp = await server.Cli().RunAsync("logs", "--app", "demo", "--search", "checkout", "--source", "app");

        Assert.Equal(0, search.ExitCode);
        Assert.Equal(2, search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("stdout: GET /checkout failed", searchApp.Output, StringComparison.Ordinal);
        Assert.Single(searchApp.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--since", "10x")]
    [InlineData("--until", "2026-13-45")]
    public async Task Logs_WithBadTime_Exit2NamingFieldAndValue(string option, string value)
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");

        var result = await server.Cli().RunAsync("logs", "--app", "demo", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option[2..]}: \"{value}\" is not a time", result.Error, StringComparison.Ordinal);
        Assert.Contains("10m", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_WithSinceDuration_ReturnsRecentLines()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "recent line");

        var result = await server.Cli().RunAsync("logs", "--app", "demo", "--since", "10m");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("recent line", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_LineWrittenAfterStreamOpened_IsPrinted()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "before");
        using var stop = new CancellationTokenSource();
        var (exit, output) = RunCliUntilCancelled(server, stop.Token, "logs", "--app", "demo", "--follow");
        await UntilAsync(() => Task.FromResult(output.Text().Contains("before", StringComparison.Ordinal)), "the backlog line");

        await WriteAsync(server, id, LogSource.App, "after the stream opened");
        await UntilAsync(() => Task.FromResult(output.Text().Contains("after the stream opened", StringComparison.Ordinal)), "the new line");
        await stop.CancelAsync();
        await exit;

        Assert.Single(output.Text().Split('\n'), l => l.Contains("before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_ResumedWithLastEventId_HasNoGapAndNoDuplicate()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await CreateAppAsync(server, "demo");
        await WriteAsync(server, id, LogSource.App, "l1", "l2", "l3", "l4");
        using var http = server.Http();

        var first = await ReadEventsAsync(http, "v1/apps/demo/logs/stream?after=0", lastEventId: null, count: 2);
        await WriteAsync(server, id, LogSource.App, "l5", "l6");
        var resumed = await ReadEventsAsync(http, "v1/apps/demo/logs/stream", lastEventId: first[^1].Id, count: 4);

        var messages = first.Concat(resumed).Select(e => e.Message).ToList();
        Assert.Equal(["l1", "l2", "l3", "l4", "l5", "l6"], messages);
        Assert.Equal(first.Concat(resumed).Select(e => e.Id), first.Concat(resumed).Select(e => e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Stream_WithBadLastEventId_Is422ProblemBeforeStreaming()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/apps/demo/logs/stream");
        request.Headers.Add("Last-Event-ID", "abc");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Last-Event-ID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_ServerRestartsMidStream_ReconnectsWithoutGapOrDuplicate()
    {
        using var dir = new TempDirectory();
        var options = new NuageServerOptions { DataDirectory = dir.Combine("data"), Api = $"127.0.0.1:{FreePort()}", Http = "127.0.0.1:0" };
        var first = await NuageServer.StartAsync(options, CancellationToken.None);
        var token = first.InitialAdminToken!;
        var url = first.ApiAddress.ToString().TrimEnd('/');
        var cli = new CliRun(url, token, dir.Path, dir.Combine("config"));
        var appId = JsonDocument.Parse((await cli.RunAsync("create", "demo", "-t", "node", "--json")).Output).RootElement.GetProperty("id").GetString()!;
        await WriteThroughAsync(first, appId, "line-1", "line-2");
        using var stop = new CancellationTokenSource();
        var output = new SyncWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = new StringWriter(),
            WorkingDirectory = dir.Path,
            ConfigDirectory = dir.Combine("config"),
            Variables = new Dictionary<string, string> { ["NUAGE_URL"] = url, ["NUAGE_TOKEN"] = token },
        };
        var follow = Task.Run(() => CliApp.RunAsync(env, ["logs", "--app", "demo", "--follow"], stop.Token));
        await UntilAsync(() => Task.FromResult(output.Text().Contains("line-2", StringComparison.Ordinal)), "the lines before the restart");

        await first.StopAsync(CancellationToken.None);
        await first.DisposeAsync();
        var second = await NuageServer.StartAsync(options, CancellationToken.None);
        try
        {
            await WriteThroughAsync(second, appId, "line-3", "line-4");
            await UntilAsync(() => Task.FromResult(output.Text().Contains("line-4", StringComparison.Ordinal)), "the lines after the restart", seconds: 60);
        }
        finally
        {
            await stop.CancelAsync();
            await follow;
            await second.StopAsync(CancellationToken.None);
            await second.DisposeAsync();
        }

        var lines = output.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.LastIndexOf(' ') + 1)..]).ToList();
        Assert.Equal(["line-1", "line-2", "line-3", "line-4"], lines);
    }

    private static async Task WriteThroughAsync(NuageServer server, string appId, params string[] messages)
    {
        var store = (LogStore)server.Services.GetService(typeof(LogStore))!;
        foreach (var message in messages)
        {
            store.Sink.Write(new LogRecord(default, appId, LogSource.App, message, Stream: "stdout"));
        }

        await store.FlushAsync(appId);
    }

    private static async Task<List<(string Id, long Seq, string Message)>> ReadEventsAsync(HttpClient http, string path, string? lastEventId, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, long, string)>();
        string? id = null;
        while (events.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                events.Add((id!, data.GetProperty("seq").GetInt64(), data.GetProperty("message").GetString()!));
            }
        }

        return events;
    }
}

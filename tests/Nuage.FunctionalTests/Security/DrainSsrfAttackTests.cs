using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Logging;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Security;

/// <summary>
/// A developer uses a drain to make the server call what only it can reach: its own API, loopback services,
/// cloud metadata; and to read their answers through `drain list`. Through the real server, API and CLI.
/// </summary>
public sealed class DrainSsrfAttackTests
{
    private const string Secret = "TOP-SECRET-3d9b27c4-local-service";

    [Fact]
    public async Task Drain_ToApiPortLoopbackOrLinkLocal_IsRefusedWithExit2ByDefault()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var apiPort = new Uri(server.Url).Port;

        foreach (var (type, url) in new[]
        {
            ("http", $"http://127.0.0.1:{apiPort}/v1/apps"), ("http", $"http://[::1]:{apiPort}/"), ("http", $"http://localhost:{apiPort}/"),
            ("syslog-tcp", "tcp://127.0.0.1:22"), ("http", "http://169.254.169.254/latest/meta-data/"),
        })
        {
            var result = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", type, url);
            Assert.True(result.ExitCode == 2, $"{url}: {result}");
            Assert.Contains("  url: ", result.Error, StringComparison.Ordinal);
        }

        var list = await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json");
        Assert.Equal(0, JsonDocument.Parse(list.Output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Drain_ToOwnApiPort_IsRefusedEvenWhenPrivateDrainsAreAllowed()
    {
        await using var server = await RunningServer.StartAsync(o => o with { AllowPrivateDrains = true });
        await CreateAppAsync(server, "demo");
        var apiPort = new Uri(server.Url).Port;

        var result = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "http", $"http://127.0.0.1:{apiPort}/v1/apps");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("listener of this Nuage server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_ToLocalServiceWithSecretBody_NeverShowsTheBodyInApiOrCli()
    {
        await using var service = await StartSecretServiceAsync();
        var port = new Uri(service.Urls.First()).Port;
        await using var server = await RunningServer.StartAsync(o => o with { AllowPrivateDrains = true });
        var appId = await CreateAppAsync(server, "demo");
        var created = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "http", $"http://127.0.0.1:{port}/");
        Assert.True(created.ExitCode == 0, created.ToString());

        await WriteAsync(server, appId, LogSource.App, "hello");

        string api = "";
        await UntilAsync(async () =>
        {
            using var http = server.Http();
            api = await http.GetStringAsync("v1/apps/demo/drains");
            return JsonDocument.Parse(api).RootElement[0].TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String;
        }, "the drain's last error");
        var cli = await server.Cli().RunAsync("drain", "list", "--app", "demo");
        var cliJson = await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json");

        Assert.Contains("answered HTTP 500", api, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, api, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, cliJson.Output, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartSecretServiceAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async http =>
        {
            http.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
            await http.Response.WriteAsync(Secret);
        });
        await app.StartAsync();
        return app;
    }
}

using Nuage.Tests.Shared;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Nuage.Core.Logging;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Hosting;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Logs;

public sealed class DrainsTests
{
    /// <summary>The receivers these tests start listen on loopback, which drains refuse unless the operator allows it.</summary>
    private static NuageServerOptions LocalReceivers(NuageServerOptions options) => options with { AllowPrivateDrains = true };

    [Fact]
    public async Task Drain_CreateListDisableEnableRemove_ThroughCli()
    {
        await using var server = await RunningServer.StartAsync(LocalReceivers);
        await CreateAppAsync(server, "demo");

        var created = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "syslog-tcp", "tcp://127.0.0.1:6514", "--sd-params", "env=\"prod\"", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var id = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(0, (await server.Cli().RunAsync("drain", "disable", "--app", "demo", id)).ExitCode);
        var disabled = await server.Cli().RunAsync("drain", "list", "--app", "demo");
        Assert.Equal(0, (await server.Cli().RunAsync("drain", "enable", "--app", "demo", id)).ExitCode);
        var enabled = await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json");
        var removed = await server.Cli().RunAsync("drain", "rm", "--app", "demo", id);
        var after = await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json");
        var again = await server.Cli().RunAsync("drain", "rm", "--app", "demo", id);

        Assert.Contains(id, disabled.Output, StringComparison.Ordinal);
        Assert.Contains("disabled", disabled.Output, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(enabled.Output).RootElement[0].GetProperty("enabled").GetBoolean());
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(after.Output).RootElement.GetArrayLength());
        Assert.Equal(3, again.ExitCode);
    }

    [Fact]
    public async Task Drain_WithUnknownType_Exit2NamingFieldAndValue()
    {
        await using var server = await RunningServer.StartAsync(LocalReceivers);
        await CreateAppAsync(server, "demo");

        var result = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "carrier-pigeon", "tcp://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("  type: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("syslog-tcp", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_CreatingDrain_IsForbiddenButCanList()
    {
        await using var server = await RunningServer.StartAsync(LocalReceivers);
        await CreateAppAsync(server, "demo");
        var viewer = JsonDocument.Parse((await server.Cli().RunAsync("tokens", "create", "--role", "viewer", "--json")).Output).RootElement.GetProperty("secret").GetString()!;

        var create = await server.Cli(viewer).RunAsync("drain", "create", "--app", "demo", "--type", "http", "http://127.0.0.1:9/in");
        var list = await server.Cli(viewer).RunAsync("drain", "list", "--app", "demo");

        Assert.Equal(4, create.ExitCode);
        Assert.Contains("developer role", create.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
    }

    [Fact]
    public async Task Drain_Credentials_AreNotStoredInPlaintextNorShown()
    {
        await using var server = await RunningServer.StartAsync(LocalReceivers);
        await CreateAppAsync(server, "demo");
        const string password = "pw-5f1c9a7e-plaintext-marker";
        const string token = "tok-0b6d2e44-plaintext-marker";

        var basic = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "http", "http://127.0.0.1:9/in", "--username", "u", "--password", password);
        var bearer = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "http", "http://127.0.0.1:9/in2", "--token", token);
        var list = await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json");

        Assert.Equal(0, basic.ExitCode);
        Assert.Equal(0, bearer.ExitCode);
        Assert.Contains("\"hasPassword\": true", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.Output, StringComparison.Ordinal);
        var files = Directory.GetFiles(server.DataDirectory, "*.db*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = Encoding.UTF8.GetString(await ReadSharedAsync(file));
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HttpDrain_ToRealNginx_ReceivesAppLineWithBasicAuth()
    {
        await using var server = await RunningServer.StartAsync(LocalReceivers);
        var appId = await CreateAppAsync(server, "demo");
        await using var nginx = await NginxPeer.StartAsync(Path.Combine(server.Scratch, "nginx"));
        var created = await server.Cli().RunAsync("drain", "create", "--app", "demo", "--type", "http", $"http://127.0.0.1:{nginx.Port}/drain", "--username", "u", "--password", "secret-pw");
        Assert.True(created.ExitCode == 0, created.ToString());

        await WriteAsync(server, appId, LogSource.App, "hello drain e2e");

        await UntilAsync(() => Task.FromResult(nginx.Bodies().Any(b => b.Contains("hello drain e2e", StringComparison.Ordinal))), "the line at nginx");
        Assert.Contains(nginx.Requests(), r => r[1] == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:secret-pw")));
        await UntilAsync(async () => JsonDocument.Parse((await server.Cli().RunAsync("drain", "list", "--app", "demo", "--json")).Output).RootElement[0].GetProperty("delivered").GetInt64() >= 1, "delivered count");
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}

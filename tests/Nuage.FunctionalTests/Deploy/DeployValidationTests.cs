using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Core.State;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Security;

namespace Nuage.FunctionalTests.Deploy;

public sealed class DeployValidationTests
{
    /// <summary>
    /// Set-time validation refuses bad values, so this test stores them the way an older, laxer Nuage (or a
    /// registry whose accepted values changed since) would have: straight into the state store, sealed.
    /// </summary>
    [Fact]
    public async Task FourBadStoredVariables_FailAtValidateBeforeAnyBuild_WithExactlyThoseErrors_AndOldReleaseServes()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        var store = server.Server.Services.GetRequiredService<IStateStore>();
        var box = server.Server.Services.GetRequiredService<SecretBox>();
        var app = (await store.Apps.FindByNameAsync("web", CancellationToken.None))!;
        var bad = new Dictionary<string, string>
        {
            ["CC_WORKER_RESTART"] = "sometimes",
            ["CC_PRE_BUILD_HOOK"] = string.Empty,
            ["CC_WORKER_RESTART_DELAY"] = "-5",
            ["CC_CACHE_DEPENDENCIES"] = "maybe",
        };
        await store.Env.ApplyAsync(app.Id, bad.ToDictionary(kv => kv.Key, kv => box.Seal(kv.Value, $"env:{app.Id}:{kv.Key}")), [], CancellationToken.None);

        var failed = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal("validate", failed.GetProperty("failedStage").GetString());
        Assert.Equal(["validate"], failed.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var reason = failed.GetProperty("failureReason").GetString()!;
        Assert.StartsWith("4 invalid variable(s)", reason, StringComparison.Ordinal);
        Assert.Contains("CC_WORKER_RESTART: \"sometimes\" is not accepted; use one of: always, on-failure, no", reason, StringComparison.Ordinal);
        Assert.Contains("CC_PRE_BUILD_HOOK: defined but empty", reason, StringComparison.Ordinal);
        Assert.Contains("CC_WORKER_RESTART_DELAY:", reason, StringComparison.Ordinal);
        Assert.Contains("CC_CACHE_DEPENDENCIES:", reason, StringComparison.Ordinal);
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "web")).Status);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "apps", app.Id, "releases", failed.GetProperty("id").GetString()!)));
    }

    [Fact]
    public async Task MaliciousTarball_IsRejectedAtUnpack_NamingTheEntry()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        using var tar = new MemoryStream();
        await using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../escape.txt")
            {
                DataStream = new MemoryStream("owned"u8.ToArray()),
            };
            await writer.WriteEntryAsync(entry);
        }

        tar.Position = 0;
        using var http = server.Http();
        using var response = await http.PostAsync("v1/apps/web/deployments", new StreamContent(tar));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var failed = await Deployer.WaitAsync(http, "web", id);

        Assert.Equal("unpack", failed.GetProperty("failedStage").GetString());
        Assert.Contains("../../escape.txt", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(server.Scratch, "escape.txt", SearchOption.AllDirectories));
    }
}

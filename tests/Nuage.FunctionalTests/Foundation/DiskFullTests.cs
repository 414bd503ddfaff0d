using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Tests.Shared;

namespace Nuage.FunctionalTests.Foundation;

/// <summary>
/// A real server whose data directory is a small tmpfs the test fills: `env set` and a deploy answer 507
/// insufficient_storage naming what is full (never a server path), the server keeps serving, and the platform event
/// reaches the app's log once space is freed (the log store keeps it in memory while its disk is full).
/// </summary>
public sealed class DiskFullTests
{
    private const int MaxAttempts = 400;

    [Fact]
    public async Task DataDirectoryDiskFull_EnvSetAndDeploy_Answer507WithWhatIsFullAndTheEventIsLoggedOnceSpaceIsFreed()
    {
        using var disk = SmallTmpfs.Mount(megabytes: 48);
        await using var server = await RunningServer.StartAsync(o => o with { DataDirectory = Path.Combine(disk.Path, "data") });
        using var http = server.Http();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "full", "-t", "static")).ExitCode);

        disk.Fill();

        // SQLite may still have room inside its WAL file: set variables until a write needs a new block.
        var value = new string('v', 2000);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < MaxAttempts && refused is null; i++)
        {
            var response = await http.PutAsJsonAsync($"v1/apps/full/env/FILLER_{i}", new { value });
            if (!response.IsSuccessStatusCode)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        var problem = await ProblemAsync(refused);
        Assert.Equal((int)HttpStatusCode.InsufficientStorage, (int)refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("insufficient_storage", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("the state database (nuage.db)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(disk.Path, detail, StringComparison.Ordinal);

        var cli = await server.Cli().RunAsync("env", "set", "ONE_MORE", value, "--app", "full");
        Assert.True(cli.ExitCode == 1 && (cli.Error + cli.Output).Contains("disk is full", StringComparison.Ordinal), cli.ToString());

        using var tar = new MemoryStream();
        await Deployer.WriteTarAsync(Deployer.Example("static"), tar);
        tar.Position = 0;
        using var deploy = await http.PostAsync("v1/apps/full/deployments?message=full", new StreamContent(tar));
        var deployProblem = await ProblemAsync(deploy);
        Assert.True((int)deploy.StatusCode == 507, deployProblem.GetRawText());
        Assert.Equal("insufficient_storage", deployProblem.GetProperty("code").GetString());
        Assert.DoesNotContain(disk.Path, deployProblem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("the uploads (uploads/)", deployProblem.GetProperty("detail").GetString()!, StringComparison.Ordinal);

        Assert.True((await http.GetAsync("healthz")).IsSuccessStatusCode);

        disk.Free();
        await WaitForPlatformEventAsync(http);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "AFTER_FREE", "ok", "--app", "full")).ExitCode);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("nuage_storage_full_total{area=\"state_database\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task WaitForPlatformEventAsync(HttpClient http)
    {
        var seen = "";
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await http.GetAsync("v1/apps/full/logs?source=platform&since=1h");
            seen = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (seen.Contains("refused: no space left on the disk holding the state database (nuage.db)", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("no platform event about the full disk in the app's log: " + seen);
    }
}

using System.Formats.Tar;
using System.Net;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Security;

/// <summary>A developer token filling the server's disk with queued uploads, or reading server paths from failures.</summary>
public sealed class UploadAttackTests
{
    [Fact]
    public async Task Upload_PastTheQueuedBytesCap_Is429WithTheCapAndLeavesNothingOnDisk()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Uploads = new() { MaxQueuedBytes = 64 * 1024 } });
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "static")).ExitCode);
        using var http = server.Http();

        using var response = await http.PostAsync("v1/apps/web/deployments", new StreamContent(await TarAsync(("big.bin", new byte[256 * 1024]))));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("upload_space_full", problem.GetProperty("code").GetString());
        Assert.Contains("Uploads:MaxQueuedBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "uploads")));
        var listed = JsonDocument.Parse(await http.GetStringAsync("v1/apps/web/deployments")).RootElement;
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());

        // The refused upload gave its room back: a small one is accepted.
        using var small = await http.PostAsync("v1/apps/web/deployments", new StreamContent(await TarAsync(("index.html", "hi"u8.ToArray()))));
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
    }

    [Fact]
    public async Task Upload_WithAPathTooLongForTheDisk_FailsNamingTheEntryNotTheServerPath()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "static")).ExitCode);
        using var http = server.Http();
        var deep = string.Join('/', Enumerable.Repeat(new string('d', 200), 20)) + "/index.html";

        using var response = await http.PostAsync("v1/apps/web/deployments", new StreamContent(await TarAsync((deep, "x"u8.ToArray()))));
        var body = await response.Content.ReadAsStringAsync();
        var reason = response.StatusCode == HttpStatusCode.Accepted
            ? (await Deployer.WaitAsync(http, "web", JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!)).GetProperty("failureReason").GetString()!
            : body;

        Assert.Contains("longer than", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(server.DataDirectory, reason, StringComparison.Ordinal);
    }

    private static async Task<MemoryStream> TarAsync(params (string Name, byte[] Content)[] files)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        tar.Position = 0;
        return tar;
    }
}

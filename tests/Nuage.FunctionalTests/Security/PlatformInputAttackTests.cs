using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.Core.Env;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Security;

/// <summary>Attacks on the API's edges, against a real server on loopback with a real data directory.</summary>
public sealed class PlatformInputAttackTests
{
    [Fact]
    public async Task GitInfoRefs_ViewerAsksForBothServices_GetsNoPushAdvertisement()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "static")).ExitCode);
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");
        using var http = server.Http(viewer);

        using var response = await http.GetAsync("git/demo.git/info/refs?service=git-upload-pack&service=git-receive-pack");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.DoesNotContain("service=git-receive-pack\n", body, StringComparison.Ordinal);
        Assert.Contains("give the service parameter once", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DataDirectoryWithLooseModes_IsTightenedToTheOwnerOnly()
    {
        await using var server = await RunningServer.StartAsync();
        var data = server.DataDirectory;
        var loose = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(data, loose | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(data, "nuage.db"), loose);
        File.SetUnixFileMode(Path.Combine(data, "secret.key"), loose);

        await server.RestartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var file in new[] { "nuage.db", "secret.key", "admin-token" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, file)));
        }
    }

    [Fact]
    public async Task EnvSet_PastTheTotalCap_Is422NamingTheTotalTheCapAndTheVariable()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "static")).ExitCode);
        using var http = server.Http();
        var value = new string('x', EnvNames.MaxValueLength);
        HttpResponseMessage? refused = null;
        string? refusedName = null;
        for (var i = 0; i < 40 && refused is null; i++)
        {
            var name = $"BIG_{i:00}";
            var response = await http.PutAsJsonAsync($"v1/apps/demo/env/{name}", new { value });
            if (response.IsSuccessStatusCode)
            {
                response.Dispose();
                continue;
            }

            (refused, refusedName) = (response, name);
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("env_too_large", problem.GetProperty("code").GetString());
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains(refusedName!, detail, StringComparison.Ordinal);
            Assert.Contains($"at most {EnvNames.MaxTotalBytes} bytes", detail, StringComparison.Ordinal);
            Assert.Matches("would total [0-9]+ bytes", detail);
        }

        var stored = await http.GetFromJsonAsync<JsonElement>("v1/apps/demo/env");
        Assert.False(stored.GetProperty("variables").TryGetProperty(refusedName!, out _));
    }
}

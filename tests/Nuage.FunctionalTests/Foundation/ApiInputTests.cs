using System.Net;
using System.Text;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Foundation;

public sealed class ApiInputTests
{
    [Theory]
    [InlineData("{\"name\":", "invalid_json")]
    [InlineData("{\"name\":\"demo\",\"runtime\":\"node\",\"colour\":\"red\"}", "invalid_json")]
    public async Task BadJson_Is400ProblemAndCreatesNothing(string body, string code)
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsync("v1/apps", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"code\":\"{code}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Contains("\"items\":[]", await http.GetStringAsync("v1/apps"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        var huge = "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        using var response = await http.PostAsync("v1/apps", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("payload_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheV1Endpoints()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http(token: "");

        var document = await http.GetStringAsync("openapi/v1.json");

        Assert.Contains("/v1/apps", document, StringComparison.Ordinal);
        Assert.Contains("/v1/tokens", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_ExitsFiveNamingTheUrl()
    {
        using var dir = new TempDirectory();
        var cli = new CliRun("http://127.0.0.1:9", "nuage_x", dir.Path, dir.Combine("config"));

        var result = await cli.RunAsync("apps");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("http://127.0.0.1:9", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandOrMissingArgument_ExitsTwo()
    {
        using var dir = new TempDirectory();
        var cli = new CliRun("http://127.0.0.1:9", "nuage_x", dir.Path, dir.Combine("config"));

        Assert.Equal(2, (await cli.RunAsync("frobnicate")).ExitCode);
        Assert.Equal(2, (await cli.RunAsync("create", "demo")).ExitCode);
    }
}

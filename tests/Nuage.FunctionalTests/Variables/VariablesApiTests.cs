using System.Net;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Variables;

public sealed class VariablesApiTests
{
    [Fact]
    public async Task Import_WithFourBadVariables_ListsAllFour_AndStoresNothing()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "node")).ExitCode);

        var result = await cli.RunWithInputAsync(
            "CC_WORKER_RESTART=sometimes\nCC_PRE_BUILD_HOOK=\nCC_WORKER_RESTART_DELAY=-5\nCC_CACHE_DEPENDENCIES=maybe\nFINE=1\n",
            "env", "import", "--app", "demo");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("CC_WORKER_RESTART: \"sometimes\" is not accepted; use one of: always, on-failure, no", result.Error, StringComparison.Ordinal);
        Assert.Contains("CC_PRE_BUILD_HOOK: defined but empty", result.Error, StringComparison.Ordinal);
        Assert.Contains("CC_WORKER_RESTART_DELAY:", result.Error, StringComparison.Ordinal);
        Assert.Contains("CC_CACHE_DEPENDENCIES:", result.Error, StringComparison.Ordinal);
        Assert.Equal(4, result.Error.Split('\n').Count(l => l.StartsWith("  CC_", StringComparison.Ordinal)));
        Assert.Equal(string.Empty, (await cli.RunAsync("env", "--app", "demo")).Output);
    }

    [Fact]
    public async Task Set_TypoedVariable_IsAcceptedWithDidYouMean()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "php")).ExitCode);

        var result = await server.Cli().RunAsync("env", "set", "CC_PHP_VERSON", "8", "--app", "demo");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CC_PHP_VERSION", result.Error, StringComparison.Ordinal);
        Assert.Contains("warning:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_PlatformVariable_IsRefused()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "node")).ExitCode);

        var result = await server.Cli().RunAsync("env", "set", "PORT", "9999", "--app", "demo");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PORT", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await server.Cli().RunAsync("env", "--app", "demo")).Output);
    }

    [Fact]
    public async Task Variables_ExplainsOne_AndListsByRuntime()
    {
        await using var server = await RunningServer.StartAsync();

        var one = await server.Cli().RunAsync("variables", "CC_WORKER_RESTART");
        var node = await server.Cli().RunAsync("variables", "--runtime", "node", "--json");
        var unknown = await server.Cli().RunAsync("variables", "CC_WORKER_RESTAR");

        Assert.Equal(0, one.ExitCode);
        Assert.Contains("always, on-failure, no", one.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(node.Output);
        var names = doc.RootElement.EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Contains("CC_NODE_BUILD_TOOL", names);
        Assert.DoesNotContain("CC_PHP_VERSION", names);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("Did you mean CC_WORKER_RESTART", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_IsServedAsJsonSchema()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();

        using var response = await http.GetAsync("v1/variables/schema");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", doc.RootElement.GetProperty("$schema").GetString());
        Assert.True(doc.RootElement.GetProperty("properties").TryGetProperty("CC_WORKER_RESTART", out _));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nuage.Core.Variables;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Domains;

/// <summary><c>nuage domain add|rm|list</c> against a real server: routing by Host, ownership conflicts, roles, trusted proxies.</summary>
public sealed class DomainTests
{
    [Fact]
    public async Task DomainAdded_RoutesToTheApp_ListsAndRemoves_AndAnotherAppCannotTakeIt()
    {
        // Given a deployed app whose answer shows CC_REVERSE_PROXY_IPS, on a server with a trusted proxy range
        await using var server = await RunningServer.StartAsync(o => o with { TrustedProxies = ["10.1.0.0/16"] });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("create", "other", "-t", "node")).ExitCode);
        var source = Deployer.CopyExample(server, "node");
        var index = Path.Combine(source, "index.js");
        await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace("process.env.GREETING", $"process.env.{KnownVariables.ReverseProxyIps.Name}", StringComparison.Ordinal));
        var deployment = await Deployer.DeployAsync(server, "web", source);
        Assert.Equal("succeeded", deployment.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, "www.example.test")).Status);

        // When a custom domain is added
        var added = await cli.RunAsync("domain", "add", "WWW.example.test.", "--app", "web");

        // Then it is listed and the router sends requests for it to the app (which sees the router and the proxy as trusted)
        Assert.True(added.ExitCode == 0, added.ToString());
        var listed = await cli.RunAsync("domain", "list", "--app", "web", "--json");
        var domains = JsonDocument.Parse(listed.Output).RootElement;
        Assert.Equal("www.example.test", Assert.Single(domains.EnumerateArray()).GetProperty("domain").GetString());
        Assert.False(domains[0].GetProperty("https").GetBoolean());
        var (status, body) = await GetAsync(server, "www.example.test");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("greeting=127.0.0.1,::1,10.1.0.0/16", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "web.localhost")).Status);

        // When another app claims the same domain, it is refused and nothing changes
        var taken = await cli.RunAsync("domain", "add", "www.example.test", "--app", "other");
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("already served by app web", taken.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await cli.RunAsync("domain", "list", "--app", "other", "--json")).Output.Trim());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "www.example.test")).Status);

        // Names in the platform's own space or that are not DNS names are refused
        var platform = await cli.RunAsync("domain", "add", "other.localhost", "--app", "web");
        Assert.Equal(2, platform.ExitCode);
        Assert.Contains("belong to the platform", platform.Error, StringComparison.Ordinal);
        var ip = await cli.RunAsync("domain", "add", "10.0.0.1", "--app", "web");
        Assert.Equal(2, ip.ExitCode);
        Assert.Contains("IP address", ip.Error, StringComparison.Ordinal);

        // A viewer lists but cannot change domains
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");
        Assert.Equal(0, (await server.Cli(viewer).RunAsync("domain", "list", "--app", "web")).ExitCode);
        Assert.Equal(4, (await server.Cli(viewer).RunAsync("domain", "rm", "www.example.test", "--app", "web")).ExitCode);

        // When the domain is removed, it no longer routes and can be taken by the other app
        var removed = await cli.RunAsync("domain", "rm", "www.example.test", "--app", "web");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, "www.example.test")).Status);
        Assert.Equal(3, (await cli.RunAsync("domain", "rm", "www.example.test", "--app", "web")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("domain", "add", "www.example.test", "--app", "other")).ExitCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(server, "www.example.test")).Status);
    }

    [Fact]
    public async Task DomainOfDeletedApp_IsFreedForOthers()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        await cli.RunAsync("create", "first", "-t", "node");
        await cli.RunAsync("create", "second", "-t", "node");
        Assert.Equal(0, (await cli.RunAsync("domain", "add", "shop.example.test", "--app", "first")).ExitCode);

        using var http = server.Http();
        (await http.DeleteAsync("v1/apps/first")).EnsureSuccessStatusCode();

        using var add = await http.PostAsJsonAsync("v1/apps/second/domains", new { domain = "shop.example.test" });
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(server, "shop.example.test")).Status);
    }

    [Fact]
    public async Task AddDomain_UppercaseOrTooLong_IsRefusedByTheApiWith422NamingTheProblem()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Cli().RunAsync("create", "web", "-t", "node");
        using var http = server.Http();

        using var upper = await http.PostAsJsonAsync("v1/apps/web/domains", new { domain = "WWW.example.test" });
        using var longName = await http.PostAsJsonAsync("v1/apps/web/domains", new { domain = string.Join('.', Enumerable.Repeat(new string('a', 60), 5)) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, upper.StatusCode);
        Assert.Contains("use lowercase", await upper.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longName.StatusCode);
        Assert.Contains("at most 253", await longName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static async Task<(HttpStatusCode Status, string Body)> GetAsync(RunningServer server, string host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Server.RouterAddress);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}

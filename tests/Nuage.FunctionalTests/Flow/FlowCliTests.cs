using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Domains;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Flow;

/// <summary><c>nuage flow</c> and <c>nuage protect</c> against a real server and router, with a deployed static site.</summary>
public sealed class FlowCliTests
{
    [Fact]
    public async Task FlowAndProtection_SetWithTheCli_AreValidated_Applied_Stored_AndKeptAcrossARestart()
    {
        // Given a deployed static site
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "site", "-t", "static")).ExitCode);
        await Deployer.DeployOkAsync(server, "site", Deployer.Example("static"));

        // When bad settings are given, they are refused naming the field, and nothing changes
        Assert.Equal(0, (await cli.RunAsync("flow", "rule", "add", "redirect", "^/a/(.*)$", "/b/$1", "--app", "site")).ExitCode);
        var loop = await cli.RunAsync("flow", "rule", "add", "redirect", "^/b/(.*)$", "/a/$1", "--app", "site");
        Assert.Equal(2, loop.ExitCode);
        Assert.Contains("redirect loop", loop.Error, StringComparison.Ordinal);
        var badRegex = await cli.RunAsync("flow", "rule", "add", "rewrite", "^/(x", "/y", "--app", "site");
        Assert.Equal(2, badRegex.ExitCode);
        Assert.Contains("rules[1].pattern", badRegex.Error, StringComparison.Ordinal);
        var badHeader = await cli.RunAsync("flow", "header", "set", "Bad Header", "v", "--app", "site");
        Assert.Equal(2, badHeader.ExitCode);
        Assert.Contains("headers[0].name", badHeader.Error, StringComparison.Ordinal);
        var shown = JsonDocument.Parse((await cli.RunAsync("flow", "show", "--app", "site", "--json")).Output).RootElement;
        Assert.Single(shown.GetProperty("rules").EnumerateArray());
        Assert.Empty(shown.GetProperty("headers").EnumerateArray());

        // When a header is set and the app protected with basic auth (password on stdin)
        Assert.Equal(0, (await cli.RunAsync("flow", "header", "set", "X-Frame-Options", "DENY", "--app", "site")).ExitCode);
        var protect = await cli.RunWithInputAsync("s3cret-passw0rd\n", "protect", "basic", "add", "alice", "--app", "site");
        Assert.True(protect.ExitCode == 0, protect.ToString());

        // Then the router asks for credentials, serves with them, redirects by rule, and never stores the password
        await AssertAppliedAsync(server);
        Assert.DoesNotContain("s3cret-passw0rd", HttpsDomainTests.ReadDatabaseFiles(server), StringComparison.Ordinal);

        // And after a restart the same flow is applied (restored from the state store)
        await server.RestartAsync();
        await AssertAppliedAsync(server);

        // When the protection is removed, the site is open again
        Assert.Equal(0, (await server.Cli().RunAsync("protect", "off", "--app", "site")).ExitCode); // the API port changed with the restart
        using var open = await SendAsync(server, "/", null);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    private static async Task AssertAppliedAsync(RunningServer server)
    {
        using var anonymous = await SendAsync(server, "/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var signedIn = await SendAsync(server, "/", ("alice", "s3cret-passw0rd"));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("DENY", signedIn.Headers.GetValues("X-Frame-Options").Single());
        using var redirected = await SendAsync(server, "/a/page", ("alice", "s3cret-passw0rd"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal("/b/page", redirected.Headers.Location!.OriginalString);
    }

    private static async Task<HttpResponseMessage> SendAsync(RunningServer server, string path, (string User, string Password)? credentials)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Server.RouterAddress, path));
        request.Headers.Host = "site.localhost";
        if (credentials is { } c)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}")));
        }

        return await http.SendAsync(request);
    }
}

using System.Net;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>
/// A PHP form login (examples/php-sessions) through the real server, router and sandbox: the session holds whichever
/// of two instances answers, and survives a redeploy.
/// </summary>
public sealed class PhpSessionsTests
{
    [Fact]
    public async Task Login_WithTwoInstances_HoldsOnBothAndAcrossARedeploy()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "shop", "-t", "php", "--instances", "2")).ExitCode);
        await Deployer.DeployOkAsync(server, "shop", Deployer.Example("php-sessions"));
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

        using (var login = await SendAsync(server, http, HttpMethod.Post, "/login", new FormUrlEncodedContent([new("user", "alice"), new("password", "nuage")])))
        {
            Assert.True(login.StatusCode == HttpStatusCode.SeeOther, $"{login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
        }

        Assert.Single(cookies.GetAllCookies());
        var seen = await InstancesSeeingAsync(server, http, "alice");
        Assert.Equal(["0", "1"], seen);

        await Deployer.DeployOkAsync(server, "shop", Deployer.Example("php-sessions"));

        Assert.Equal(["0", "1"], await InstancesSeeingAsync(server, http, "alice"));
    }

    /// <summary>GETs / until both instances answered (bounded), asserting every answer shows the logged-in user.</summary>
    private static async Task<SortedSet<string>> InstancesSeeingAsync(RunningServer server, HttpClient http, string user)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 200 && seen.Count < 2; attempt++)
        {
            using var response = await SendAsync(server, http, HttpMethod.Get, "/");
            var body = await response.Content.ReadAsStringAsync();
            Assert.StartsWith($"user={user} instance=", body, StringComparison.Ordinal);
            seen.Add(body.Trim()[$"user={user} instance=".Length..]);
        }

        return seen;
    }

    private static Task<HttpResponseMessage> SendAsync(RunningServer server, HttpClient http, HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(server.Server.RouterAddress, path)) { Content = content };
        request.Headers.Host = "shop.localhost";
        return http.SendAsync(request);
    }
}

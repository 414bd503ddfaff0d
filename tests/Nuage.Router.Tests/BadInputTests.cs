using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: bad host\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a@b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    public async Task Request_WithMalformedOrMissingHost_Answers400(string raw)
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));

        var answer = await router.SendRawAsync(raw);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(0, backend.Hits);
    }

    [Fact]
    public async Task Request_WithOversizedHeaders_Answers431AndRouterKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { MaxRequestHeadersTotalBytes = 8 * 1024 });
        router.Router.Publish(TestRouter.Route("web", backend));

        var answer = await router.SendRawAsync($"GET / HTTP/1.1\r\nHost: web.localhost\r\nX-Big: {new string('x', 16 * 1024)}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        Assert.Equal("a", await router.CreateClient().GetStringAsync(router.Url("web.localhost")));
    }

    [Fact]
    public async Task Request_WithBothContentLengthAndTransferEncoding_IsNotSmuggledAndRouterKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        const string Smuggle = "POST / HTTP/1.1\r\nHost: web.localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: web.localhost\r\n\r\n";

        var answer = await router.SendRawAsync(Smuggle);

        // Kestrel applies RFC 9112 §6.3: Transfer-Encoding wins, Content-Length is dropped and the connection is closed
        // after the answer, so the smuggled second request is never read, let alone forwarded.
        Assert.Single(answer.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/smuggled", backend.Paths);
        Assert.Equal("a", await router.CreateClient().GetStringAsync(router.Url("web.localhost")));
    }

    [Fact]
    public async Task Request_WithAbsoluteUriToForeignHost_IsRefusedAndNeverReachesIt()
    {
        await using var app = await TestBackend.StartAsync("app");
        await using var foreign = await TestBackend.StartAsync("foreign");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", app));
        var target = $"127.0.0.1:{foreign.Port}";

        var sameHost = await router.SendRawAsync($"GET http://{target}/ HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
        var spoofedHost = await router.SendRawAsync($"GET http://{target}/ HTTP/1.1\r\nHost: web.localhost\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 404", sameHost, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", spoofedHost, StringComparison.Ordinal);
        Assert.Equal(0, foreign.Hits);
        Assert.Equal(0, app.Hits);
    }

    [Fact]
    public async Task Request_FromSlowClient_IsCutAfterHeadersTimeoutAndOthersAreServed()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        router.Router.Publish(TestRouter.Route("web", backend));

        var slow = router.SendRawAsync("GET / HTTP/1.1\r\nHost: web.localhost\r\n");
        Assert.Equal("a", await router.CreateClient().GetStringAsync(router.Url("web.localhost")));
        var answer = await slow;

        Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);
        Assert.Equal(1, backend.Hits);
    }

    [Fact]
    public async Task Request_WithBodyOverTheLimit_Answers413AndNeverReachesTheApp()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { MaxRequestBodyBytes = 1024 });
        router.Router.Publish(TestRouter.Route("web", backend));

        using var response = await router.CreateClient().PostAsync(router.Url("web.localhost"), new ByteArrayContent(new byte[4096]));

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, backend.Hits);
    }
}

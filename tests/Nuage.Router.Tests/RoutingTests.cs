using System.Net;
using Nuage.Core.Errors;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class RoutingTests
{
    [Fact]
    public async Task Request_ForEachAppHost_ReachesThatAppsInstance()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("shop", blue));
        router.Router.Publish(TestRouter.Route("blog", green) with { CustomDomains = ["www.example.com"] });
        var client = router.CreateClient();

        Assert.Equal("blue", await client.GetStringAsync(router.Url("shop.localhost")));
        Assert.Equal("green", await client.GetStringAsync(router.Url("blog.localhost")));
        Assert.Equal("green", await client.GetStringAsync(router.Url("WWW.Example.COM")));
    }

    [Fact]
    public async Task Request_ToUnknownHost_Answers404PageNamingTheHost()
    {
        await using var router = await TestRouter.StartAsync();
        var client = router.CreateClient();

        using var response = await client.GetAsync(router.Url("nothing.localhost"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nothing.localhost", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task Request_ToAppWithoutInstances_Answers503WithRetryAfter()
    {
        await using var router = await TestRouter.StartAsync(new RouterOptions { RetryAfterSeconds = 7 });
        router.Router.Publish(TestRouter.Route("empty"));
        var client = router.CreateClient();

        using var response = await client.GetAsync(router.Url("empty.localhost"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Contains("no healthy instance", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToStoppedApp_Answers503PageSayingItIsStopped()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("paused", backend) with { State = RouteState.Stopped });
        var client = router.CreateClient();

        using var response = await client.GetAsync(router.Url("paused.localhost"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("is stopped", page, StringComparison.Ordinal);
        Assert.Contains("<code>nuage start</code>", page, StringComparison.Ordinal); // the verb that starts a stopped app
        Assert.Equal(0, backend.Hits);
    }

    [Fact]
    public async Task Request_ToAppBeingRestoredAfterServerStart_Answers503WithRetryAfter_NotNoAppHere()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { RetryAfterSeconds = 3 });
        router.Router.Publish(TestRouter.Route("coming", backend) with { State = RouteState.Restoring });
        var client = router.CreateClient();

        using var response = await client.GetAsync(router.Url("coming.localhost"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("No app here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, backend.Hits);
    }

    [Fact]
    public async Task Request_ToAppWithTwoInstances_IsSpreadOverBoth()
    {
        await using var one = await TestBackend.StartAsync("one");
        await using var two = await TestBackend.StartAsync("two");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("pair", one, two));
        var client = router.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            await client.GetStringAsync(router.Url("pair.localhost"));
        }

        Assert.Equal(10, one.Hits);
        Assert.Equal(10, two.Hits);
    }

    [Fact]
    public async Task Publish_DomainOfAnotherApp_IsRefusedAndChangesNothing()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("first", backend) with { CustomDomains = ["shop.example.com"] });

        var error = Assert.Throws<NuageException>(() => router.Router.Publish(TestRouter.Route("second", backend) with { CustomDomains = ["shop.example.com"] }));

        Assert.Equal("domain_in_use", error.Code);
        Assert.Single(router.Router.Routes);
    }

    [Fact]
    public async Task Publish_InvalidRoute_ListsEveryBadField()
    {
        await using var router = await TestRouter.StartAsync();
        var route = new AppRoute("id", "Bad_Name", RouteState.Serving, null, [new Core.Routing.InstanceEndpoint("i-1", 1, "not an address")])
        {
            CustomDomains = ["no dots"],
        };

        var error = Assert.Throws<NuageException>(() => router.Router.Publish(route));

        Assert.Equal(["AppName", "CustomDomains", "Instances.Address"], error.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void Options_Invalid_ErrorNamesEachOptionAndValue()
    {
        var options = new RouterOptions { HttpEndpoints = ["nowhere"], TrustedProxies = ["10.0.0.0/99"], DrainTimeout = TimeSpan.Zero };

        var errors = options.Validate();

        Assert.Equal(["DrainTimeout", "HttpEndpoints", "TrustedProxies"], errors.Select(e => e.Field).Order());
        Assert.Contains(errors, e => e.Value == "nowhere");
    }
}

using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class PassiveHealthTests
{
    [Fact]
    public async Task InstanceRefusingConnections_IsEjectedThenReadmittedAfterAProbePasses()
    {
        await using var router = await TestRouter.StartAsync(new RouterOptions { EjectedProbeInterval = TimeSpan.FromMilliseconds(100) });
        await using var steady = await TestBackend.StartAsync("steady");
        var flaky = await TestBackend.StartAsync("flaky");
        router.Router.Publish(TestRouter.Route("shop", steady, flaky) with { HealthPaths = ["/health"] });
        var client = router.CreateClient();
        await flaky.DisposeAsync();

        var whileDown = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            whileDown.Add(await client.GetStringAsync(router.Url("shop.localhost")));
        }

        await using var restarted = await TestBackend.StartAsync("flaky-again", flaky.Port);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!restarted.Paths.Contains("/") && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await client.GetStringAsync(router.Url("shop.localhost"));
            await Task.Delay(20);
        }

        Assert.All(whileDown, body => Assert.Equal("steady", body));
        Assert.Contains("/health", restarted.Paths);
        Assert.Contains("/", restarted.Paths);
    }
}

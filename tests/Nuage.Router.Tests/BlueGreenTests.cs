using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Nuage.Router.Tests.Support;
using Xunit.Abstractions;

namespace Nuage.Router.Tests;

/// <summary>The proof scenarios of issue #5, at library level: what the deploy orchestrator does, step by step.</summary>
public sealed class BlueGreenTests(ITestOutputHelper output)
{
    private static readonly string[] HealthPaths = ["/health"];

    [Fact]
    public async Task TenSwitches_UnderConcurrentLoad_LoseNoRequestAndMoveToEachNewVersion()
    {
        await using var router = await TestRouter.StartAsync();
        var current = new[] { await TestBackend.StartAsync("A"), await TestBackend.StartAsync("A") };
        router.Router.Publish(TestRouter.Route("shop", current));
        var load = new LoadGenerator(router.CreateClient(), router.Url("shop.localhost"), workers: 8, cap: TimeSpan.FromSeconds(60));
        var probe = router.CreateClient();
        var servedAfterSwitch = new List<string>();
        try
        {
            for (var i = 1; i <= 10; i++)
            {
                await load.WaitForMoreAsync(200);
                var version = i % 2 == 1 ? "B" : "A";
                var next = new[] { await TestBackend.StartAsync(version), await TestBackend.StartAsync(version) };
                var report = await router.Router.Health.WaitHealthyAsync([.. next.Select(b => b.Endpoint)], HealthPaths, TimeSpan.FromSeconds(30), CancellationToken.None);
                Assert.True(report.Healthy, report.Describe());

                router.Router.Publish(TestRouter.Route("shop", next) with { DeploymentId = $"dep-{i}" });
                servedAfterSwitch.Add(await probe.GetStringAsync(router.Url("shop.localhost")));
                var drain = await router.Router.DrainAsync([.. current.Select(b => b.Endpoint.InstanceId)], TimeSpan.FromSeconds(30), CancellationToken.None);
                Assert.True(drain.Completed);
                foreach (var old in current)
                {
                    await old.DisposeAsync();
                }

                current = next;
            }

            await load.WaitForMoreAsync(200);
        }
        finally
        {
            await load.StopAsync();
            foreach (var backend in current)
            {
                await backend.DisposeAsync();
            }
        }

        output.WriteLine($"ok={load.Ok} non2xx={load.Non2xx} errors={load.Errors} bodies={string.Join(", ", load.Bodies)}");
        Assert.Empty(load.Failures);
        Assert.Equal(0, load.Non2xx);
        Assert.Equal(0, load.Errors);
        Assert.Equal(["B", "A", "B", "A", "B", "A", "B", "A", "B", "A"], servedAfterSwitch);
        Assert.True(load.Bodies.GetValueOrDefault("A") > 0 && load.Bodies.GetValueOrDefault("B") > 0);
    }

    [Fact]
    public async Task LongRequest_StartedJustBeforeSwitch_CompletesWith200FromTheOldInstance()
    {
        await using var router = await TestRouter.StartAsync();
        await using var oldBackend = await TestBackend.StartAsync("A");
        await using var newBackend = await TestBackend.StartAsync("B");
        router.Router.Publish(TestRouter.Route("shop", oldBackend));
        var client = router.CreateClient(TimeSpan.FromSeconds(60));

        var slow = client.GetAsync(router.Url("shop.localhost", "/slow?ms=5000"));
        await WaitUntilAsync(() => router.Router.InFlight(oldBackend.Endpoint.InstanceId) == 1);
        Assert.True((await router.Router.Health.WaitHealthyAsync([newBackend.Endpoint], HealthPaths, TimeSpan.FromSeconds(30), CancellationToken.None)).Healthy);
        router.Router.Publish(TestRouter.Route("shop", newBackend));
        var afterSwitch = await client.GetStringAsync(router.Url("shop.localhost"));
        var drain = await router.Router.DrainAsync([oldBackend.Endpoint.InstanceId], TimeSpan.FromSeconds(30), CancellationToken.None);
        using var response = await slow;

        Assert.Equal("B", afterSwitch);
        Assert.True(drain.Completed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("A", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_OpenAcrossSwitch_KeepsWorkingUntilTheDrainTimeoutThenCloses()
    {
        await using var router = await TestRouter.StartAsync();
        await using var oldBackend = await TestBackend.StartAsync("A");
        await using var newBackend = await TestBackend.StartAsync("B");
        router.Router.Publish(TestRouter.Route("chat", oldBackend));
        using var invoker = new HttpMessageInvoker(router.CreateHandler());
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://chat.localhost:{router.Port}/ws"), invoker, CancellationToken.None);

        router.Router.Publish(TestRouter.Route("chat", newBackend));
        var drain = router.Router.DrainAsync([oldBackend.Endpoint.InstanceId], TimeSpan.FromSeconds(2), CancellationToken.None);
        var echoDuringDrain = await WebSocketTests.EchoAsync(socket, "still here");
        var report = await drain;
        var closed = await ReceiveEndsAsync(socket);
        var afterSwitch = await router.CreateClient().GetStringAsync(router.Url("chat.localhost"));

        Assert.Equal("A:still here", echoDuringDrain);
        Assert.False(report.Completed);
        Assert.Equal(1, report.AbortedRequests);
        Assert.True(closed);
        Assert.Equal("B", afterSwitch);
    }

    [Fact]
    public async Task InstanceKilled_UnderLoadWithTwoInstances_TrafficMovesToTheSurvivorWithoutFailures()
    {
        await using var router = await TestRouter.StartAsync();
        await using var survivor = await TestBackend.StartAsync("survivor");
        await using var victim = await TestBackend.StartAsync("victim");
        router.Router.Publish(TestRouter.Route("shop", survivor, victim));
        var load = new LoadGenerator(router.CreateClient(), router.Url("shop.localhost"), workers: 8, cap: TimeSpan.FromSeconds(60));

        await load.WaitForMoreAsync(500);
        await victim.KillAsync(); // fault injection: connections aborted, port closed, like a crashed process
        await load.WaitForMoreAsync(1000);
        var survivorHitsBefore = survivor.Hits;
        await load.WaitForMoreAsync(500);
        await load.StopAsync();

        output.WriteLine($"failed requests after killing one of two instances: {load.Non2xx + load.Errors} (ok={load.Ok})");
        Assert.Equal(0, load.Non2xx + load.Errors);
        Assert.True(survivor.Hits - survivorHitsBefore >= 500);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "condition not met within 30 s");
            await Task.Delay(10);
        }
    }

    private static async Task<bool> ReceiveEndsAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var result = await socket.ReceiveAsync(new byte[64], timeout.Token);
            return result.MessageType == WebSocketMessageType.Close;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }
}

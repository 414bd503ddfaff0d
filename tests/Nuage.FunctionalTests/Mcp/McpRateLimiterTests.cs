using Microsoft.Extensions.Time.Testing;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>The token buckets on a fake clock (FakeTimeProvider: the refill arithmetic without waiting).</summary>
public sealed class McpRateLimiterTests
{
    [Fact]
    public void Bucket_Exhausted_RefusesWithTheWaitThenRefillsContinuously()
    {
        var clock = new FakeTimeProvider();
        var limiter = new McpRateLimiter(new McpOptions { CallsPerWindow = 60, RateWindow = TimeSpan.FromMinutes(1) }, clock);

        var granted = Enumerable.Range(0, 61).Count(i => limiter.TryAcquire("tok_a", deploys: false, out _));
        var refused = limiter.TryAcquire("tok_a", deploys: false, out var wait);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterOneSecond = limiter.TryAcquire("tok_a", deploys: false, out _);
        var otherToken = limiter.TryAcquire("tok_b", deploys: false, out _);

        Assert.Equal(60, granted);
        Assert.False(refused);
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.True(afterOneSecond);
        Assert.True(otherToken);
    }

    [Fact]
    public void DeployBudget_Exhausted_RefusesDeploysButNotOtherCalls()
    {
        var clock = new FakeTimeProvider();
        var limiter = new McpRateLimiter(new McpOptions { CallsPerWindow = 60, DeploysPerWindow = 2 }, clock);

        Assert.True(limiter.TryAcquire("tok_a", deploys: true, out _));
        Assert.True(limiter.TryAcquire("tok_a", deploys: true, out _));
        Assert.False(limiter.TryAcquire("tok_a", deploys: true, out var wait));
        Assert.True(limiter.TryAcquire("tok_a", deploys: false, out _));
        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public async Task IdempotencyCache_BeyondCapacity_ForgetsTheOldestKey()
    {
        var cache = new IdempotencyCache(new McpOptions { IdempotencyCapacity = 2 }, new FakeTimeProvider());
        var runs = 0;
        Task<ModelContextProtocol.Protocol.CallToolResult> Work()
        {
            runs++;
            return Task.FromResult(ToolResults.Success(new ToolOutput<string> { Summary = "done" }));
        }

        await cache.RunAsync("tok", "set_env", "k1", "f", Work);
        await cache.RunAsync("tok", "set_env", "k2", "f", Work);
        await cache.RunAsync("tok", "set_env", "k3", "f", Work);
        var (_, replayedK3) = await cache.RunAsync("tok", "set_env", "k3", "f", Work);
        var (_, replayedK1) = await cache.RunAsync("tok", "set_env", "k1", "f", Work);

        Assert.True(replayedK3);
        Assert.False(replayedK1);
        Assert.Equal(4, runs);
        Assert.Equal(2, cache.Count);
    }
}

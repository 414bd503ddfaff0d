using Nuage.Core.Routing;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class HealthCheckerTests
{
    private static readonly RouterOptions Options = new() { HealthProbeInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task Check_PathAnswering2xx_IsHealthy()
    {
        await using var backend = await TestBackend.StartAsync("a");
        using var checker = new HealthChecker(Options);

        var result = await checker.CheckAsync(backend.Endpoint, ["/health", "/"], CancellationToken.None);

        Assert.True(result.Healthy);
    }

    [Fact]
    public async Task Check_PathAnswering500_IsUnhealthyAndNamesThePath()
    {
        await using var backend = await TestBackend.StartAsync("a");
        backend.HealthStatus = 500;
        using var checker = new HealthChecker(Options);

        var result = await checker.CheckAsync(backend.Endpoint, ["/", "/health"], CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal("GET /health", result.Check);
        Assert.Contains("500", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutPaths_AcceptsAListeningPort()
    {
        await using var backend = await TestBackend.StartAsync("a");
        using var checker = new HealthChecker(Options);

        var result = await checker.CheckAsync(backend.Endpoint, [], CancellationToken.None);

        Assert.True(result.Healthy);
    }

    [Fact]
    public async Task Check_WithoutPaths_OnClosedPort_IsUnhealthyWithConnectionRefused()
    {
        var backend = await TestBackend.StartAsync("gone");
        await backend.DisposeAsync();
        using var checker = new HealthChecker(Options);

        var result = await checker.CheckAsync(backend.Endpoint, [], CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal($"TCP 127.0.0.1:{backend.Port}", result.Check);
        Assert.Contains("refused", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitHealthy_InstanceThatNeverPasses_ReportsTheFailingCheckAfterTheTimeout()
    {
        await using var good = await TestBackend.StartAsync("good");
        await using var bad = await TestBackend.StartAsync("bad");
        bad.HealthStatus = 503;
        using var checker = new HealthChecker(Options);

        var report = await checker.WaitHealthyAsync([good.Endpoint, bad.Endpoint], ["/health"], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(report.Healthy);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(bad.Endpoint.InstanceId, failure.InstanceId);
        Assert.Contains($"instance {bad.Endpoint.InstanceId}: GET /health answered 503", report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitHealthy_InstanceThatBecomesHealthy_ReportsHealthy()
    {
        await using var backend = await TestBackend.StartAsync("slow-start");
        backend.HealthStatus = 500;
        using var checker = new HealthChecker(Options);

        var waiting = checker.WaitHealthyAsync([backend.Endpoint], ["/health"], TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(300);
        backend.HealthStatus = 200;
        var report = await waiting;

        Assert.True(report.Healthy);
    }

    [Fact]
    public async Task Check_AddressWithScheme_IsAccepted()
    {
        await using var backend = await TestBackend.StartAsync("a");
        using var checker = new HealthChecker(Options);
        var instance = new InstanceEndpoint("i-1", 1, $"http://127.0.0.1:{backend.Port}");

        var result = await checker.CheckAsync(instance, ["health"], CancellationToken.None);

        Assert.True(result.Healthy);
    }
}

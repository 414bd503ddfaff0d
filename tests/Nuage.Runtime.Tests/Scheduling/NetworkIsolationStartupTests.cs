using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Scheduling;

/// <summary>Network isolation is on by default; where it cannot work the scheduler says what is missing and the way out.</summary>
public sealed class NetworkIsolationStartupTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task Create_WithoutNft_NamesTheMissingTool_AndRefusesStartsNamingTheFlag()
    {
        // Given a machine where nft cannot be found.
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false, NftPath = "/nonexistent/nft" });

        // Then the scheduler says what is missing, and refuses to start an instance on the host's network instead.
        Assert.True(scheduler.IsolatesNetwork);
        Assert.Contains("'nft' was not found", scheduler.NetworkProblem, StringComparison.Ordinal);
        _fx.CreateApp("nonet");
        var error = await Assert.ThrowsAsync<NuageException>(() => scheduler.StartAsync(_fx.Spec("nonet", "nonet-1", "true")));
        Assert.Equal("network_isolation_unavailable", error.Code);
        Assert.Contains("--insecure-host-network", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithInsecureHostNetwork_RunsInstancesWithoutAddresses()
    {
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = true });

        Assert.False(scheduler.IsolatesNetwork);
        Assert.Null(scheduler.NetworkProblem);
        Assert.Null(scheduler.AllocateAddress());
    }

    [Fact]
    public async Task StartAsync_IsolatedWithoutAnAddress_IsRejectedNamingTheField()
    {
        var scheduler = await _fx.CreateSchedulerAsync(o => o with { InsecureHostNetwork = false });
        _fx.CreateApp("noaddr");

        var error = await Assert.ThrowsAsync<NuageException>(() => scheduler.StartAsync(_fx.Spec("noaddr", "noaddr-1", "true", InstanceKind.Task)));

        Assert.Equal("invalid_instance_spec", error.Code);
        Assert.Contains(error.Errors, e => e.Field == nameof(InstanceSpec.Address));
    }

    [Theory]
    [InlineData("10.213.0.0")]
    [InlineData("10.213.0.1/16")]
    [InlineData("10.213.0.0/31")]
    [InlineData("fd00::/64")]
    public async Task Create_WithABadAddressPool_FailsNamingTheOption(string pool)
    {
        var error = await Assert.ThrowsAsync<NuageException>(() => _fx.CreateSchedulerAsync(o => o with { AddressPool = pool }));

        Assert.Contains(error.Errors, e => e.Field == "AddressPool" && e.Value == pool);
    }
}

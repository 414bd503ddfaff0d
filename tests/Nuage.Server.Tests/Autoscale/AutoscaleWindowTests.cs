using Nuage.Server.Autoscale;

namespace Nuage.Server.Tests.Autoscale;

/// <summary>What the evaluator feeds the decider: rates over the metrics window, and no sample on partial data.</summary>
public sealed class AutoscaleWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<double, double> NoRequests = new() { [0.01] = 0, [0.1] = 0, [double.PositiveInfinity] = 0 };

    [Fact]
    public void ServerJustStarted_NoReadingAWindowOld_IsIncomplete()
    {
        var window = new AutoscaleWindow(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5));
        window.Add(Reading(0, ("a", 1.0)));
        window.Add(Reading(5, ("a", 2.0)));

        var sample = window.Measure(T0.AddSeconds(5), ["a"], 500);

        Assert.False(sample.Complete);
        Assert.Null(sample.CpuPercent);
    }

    [Fact]
    public void InstanceNewerThanTheWindow_IsIncomplete_UntilItHasAWholeWindow()
    {
        var window = new AutoscaleWindow(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        window.Add(Reading(0, ("a", 0.0)));
        window.Add(Reading(5, ("a", 1.0), ("b", 0.0)));
        window.Add(Reading(10, ("a", 2.0), ("b", 1.0)));
        Assert.False(window.Measure(T0.AddSeconds(10), ["a", "b"], 500).Complete);

        window.Add(Reading(15, ("a", 3.0), ("b", 2.0)));
        var sample = window.Measure(T0.AddSeconds(15), ["a", "b"], 500);
        Assert.True(sample.Complete);
        Assert.Equal(2, sample.Instances);
    }

    [Fact]
    public void CpuAndRequestRates_AreMeasuredOverTheWindow_AgainstTheFlavorsShare()
    {
        var window = new AutoscaleWindow(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        window.Add(Reading(0, 100, NoRequests, ("a", 10.0), ("b", 20.0)));
        window.Add(Reading(5, 300, NoRequests, ("a", 12.5), ("b", 21.0)));
        var after = new Dictionary<double, double> { [0.01] = 150, [0.1] = 199, [double.PositiveInfinity] = 200 };
        window.Add(Reading(10, 300, after, ("a", 15.0), ("b", 22.5)));

        var sample = window.Measure(T0.AddSeconds(10), ["a", "b"], 500);

        // a used 5 s, b 2.5 s of CPU in 10 s: 0.375 core on average = 75 % of a nano's half core.
        Assert.Equal(75, sample.CpuPercent!.Value, 6);
        Assert.Equal(20, sample.Rps!.Value, 6);
        Assert.Equal(100, sample.P99Ms!.Value, 6); // 199 of 200 within 100 ms
    }

    [Fact]
    public void CounterWentBackwards_RouterRestarted_IsIncomplete()
    {
        var window = new AutoscaleWindow(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        window.Add(Reading(0, 500, NoRequests, ("a", 1.0)));
        window.Add(Reading(5, 10, NoRequests, ("a", 2.0)));

        Assert.False(window.Measure(T0.AddSeconds(5), ["a"], 500).Complete);
    }

    [Fact]
    public void NoRequestsInTheWindow_HasNoP99()
    {
        Assert.Null(AutoscaleWindow.P99Ms(NoRequests, NoRequests));
    }

    [Fact]
    public void PolicyFlavors_UnknownOrInverted_AreRefusedNamingTheField()
    {
        var unknown = new AutoscalePolicy { MinInstances = 1, MaxInstances = 1, MinFlavor = "huge", MaxFlavor = "M" }.Validate();
        var inverted = new AutoscalePolicy { MinInstances = 1, MaxInstances = 1, MinFlavor = "M", MaxFlavor = "nano" }.Validate();

        Assert.Equal("min-flavor", Assert.Single(unknown).Field);
        Assert.Equal("max-flavor", Assert.Single(inverted).Field);
    }

    private static AutoscaleSnapshot Reading(int second, params (string Id, double Cpu)[] cpu) => Reading(second, 0, NoRequests, cpu);

    private static AutoscaleSnapshot Reading(int second, double requests, Dictionary<double, double> buckets, params (string Id, double Cpu)[] cpu) =>
        new(T0.AddSeconds(second), cpu.ToDictionary(c => c.Id, c => (double?)c.Cpu, StringComparer.Ordinal), requests, buckets);
}

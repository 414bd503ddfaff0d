using Microsoft.Extensions.Time.Testing;
using Nuage.Server.Autoscale;

namespace Nuage.Server.Tests.Autoscale;

/// <summary>The HPA-style decision algorithm on a fake clock (samples every 5 s, as the evaluator would take them).</summary>
public sealed class AutoscaleDeciderTests
{
    private static readonly AutoscalePolicy CpuPolicy = new() { MinInstances = 1, MaxInstances = 4, TargetCpuPercent = 50 };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly AutoscaleDecider _decider = new(CpuPolicy, new AutoscaleBehavior());

    [Fact]
    public void LoadWithinTolerance_Holds()
    {
        var decision = Sample(instances: 2, cpu: 54); // 8 % above target

        Assert.Equal(AutoscaleAction.Hold, decision.Action);
        Assert.Equal(2, decision.Desired);
    }

    [Fact]
    public void SustainedHighLoad_ScalesOutToCeilOfTheRatio_AfterTheShortWindow()
    {
        Assert.Equal(AutoscaleAction.Hold, Sample(instances: 1, cpu: 50).Action);

        // The 10 s up window keeps its lowest recommendation: 1 while the calm sample is in it, then 150 % → 3.
        Assert.Contains("scale-up window", Step(5, 1, 150).Reason, StringComparison.Ordinal);
        Assert.Equal(AutoscaleAction.Hold, Step(5, 1, 150).Action);
        var decision = Step(5, 1, 150);
        Assert.Equal(AutoscaleAction.ScaleOut, decision.Action);
        Assert.Equal(3, decision.Desired);
        Assert.Contains("cpu 150% vs target 50%", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortDip_DoesNotScaleIn_BeforeTheLongWindowHasSeenOnlyLowLoad()
    {
        Sample(instances: 3, cpu: 50);
        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(AutoscaleAction.Hold, Step(5, 3, 10).Action); // 55 s of low load: still within the 60 s window
        }

        var decision = Step(10, 3, 10);
        Assert.Equal(AutoscaleAction.ScaleIn, decision.Action);
        Assert.Equal(1, decision.Desired);
    }

    [Fact]
    public void OscillatingLoad_NeverFlaps()
    {
        var actions = new List<AutoscaleAction>();
        var instances = 2;
        for (var i = 0; i < 60; i++)
        {
            var decision = Step(5, instances, i % 2 == 0 ? 80 : 30); // every other sample high, then low
            if (decision.Action != AutoscaleAction.Hold)
            {
                actions.Add(decision.Action);
                instances = decision.Desired;
                _decider.Applied(_clock.GetUtcNow());
            }
        }

        // It may scale out once to absorb the peaks; it never goes back and forth.
        Assert.True(actions.Count <= 1, string.Join(", ", actions));
    }

    [Fact]
    public void AfterAChange_CooldownsHoldFurtherChanges()
    {
        var decider = new AutoscaleDecider(CpuPolicy, new AutoscaleBehavior { ScaleUpWindow = TimeSpan.Zero });
        var outDecision = decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(1, true, 100, null, null));
        Assert.Equal((AutoscaleAction.ScaleOut, 2), (outDecision.Action, outDecision.Desired));
        decider.Applied(_clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains("cooldown", decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(2, true, 100, null, null)).Reason, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AutoscaleAction.ScaleOut, decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(2, true, 100, null, null)).Action);
    }

    [Fact]
    public void SpendingCeiling_CapsScaleOut_AndNeverForcesScaleIn()
    {
        Sample(instances: 1, cpu: 200, affordable: 2);
        var decision = Step(10, 1, 200, affordable: 2);
        Assert.Equal(AutoscaleAction.ScaleOut, decision.Action);
        Assert.Equal(2, decision.Desired);
        Assert.Contains("spending ceiling affords 2", decision.Reason, StringComparison.Ordinal);

        var broke = new AutoscaleDecider(CpuPolicy, new AutoscaleBehavior());
        Assert.Equal(AutoscaleAction.Hold, broke.Decide(_clock.GetUtcNow(), new AutoscaleSample(3, true, 50, null, null), affordable: 0).Action);
    }

    [Fact]
    public void PartialData_NoDecision()
    {
        var decision = _decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(1, Complete: false, CpuPercent: 400, null, null));

        Assert.Equal(AutoscaleAction.Hold, decision.Action);
        Assert.Contains("complete metrics", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedScaleOut_BacksOff_Doubling()
    {
        Sample(instances: 1, cpu: 200);
        Assert.Equal(AutoscaleAction.ScaleOut, Step(10, 1, 200).Action);
        Assert.Equal(TimeSpan.FromSeconds(30), _decider.Failed(_clock.GetUtcNow()));
        Assert.Contains("backing off", Step(10, 1, 200).Reason, StringComparison.Ordinal);
        Assert.Equal(AutoscaleAction.ScaleOut, Step(25, 1, 200).Action);
        Assert.Equal(TimeSpan.FromSeconds(60), _decider.Failed(_clock.GetUtcNow()));
    }

    [Fact]
    public void SeveralTargets_TheMostDemandingWins_AndTheRangeClamps()
    {
        var decider = new AutoscaleDecider(new AutoscalePolicy { MinInstances = 2, MaxInstances = 4, TargetCpuPercent = 50, TargetRps = 10 }, new AutoscaleBehavior { ScaleUpWindow = TimeSpan.Zero });
        var decision = decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(2, true, CpuPercent: 50, Rps: 100, P99Ms: null));

        Assert.Equal(AutoscaleAction.ScaleOut, decision.Action);
        Assert.Equal(4, decision.Desired); // rps asks for 10, the policy allows 4
        Assert.Contains("clamped to 2–4", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 2, 50.0, null, "max-instances")]
    [InlineData(0, 2, 50.0, null, "min-instances")]
    [InlineData(1, 40, 50.0, null, "max-instances")]
    [InlineData(1, 4, 150.0, null, "target-cpu")]
    [InlineData(1, 4, null, 0.0, "target-rps")]
    [InlineData(1, 4, null, null, "target-cpu")]
    public void BadPolicy_IsRefused_NamingTheField(int min, int max, double? cpu, double? rps, string field)
    {
        var errors = new AutoscalePolicy { MinInstances = min, MaxInstances = max, TargetCpuPercent = cpu, TargetRps = rps }.Validate();

        Assert.Contains(errors, e => e.Field == field);
    }

    private AutoscaleDecision Sample(int instances, double cpu, int? affordable = null) =>
        _decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(instances, true, cpu, null, null), affordable);

    private AutoscaleDecision Step(int seconds, int instances, double cpu, int? affordable = null)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        return Sample(instances, cpu, affordable);
    }
}

using Microsoft.Extensions.Time.Testing;
using Nuage.Server.Autoscale;

namespace Nuage.Server.Tests.Autoscale;

/// <summary>
/// Vertical moves of the decider, driven by a fake clock and fake metric samples (what the evaluator would measure
/// every 5 s): a larger flavor at max-instances, a smaller one at min-instances, confirmed over the windows, with
/// cooldowns, and a flavor outside the policy's range moved into it.
/// </summary>
public sealed class AutoscaleVerticalTests
{
    private static readonly AutoscalePolicy Policy = new() { MinInstances = 1, MaxInstances = 2, TargetCpuPercent = 50, MinFlavor = "nano", MaxFlavor = "S" };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly AutoscaleDecider _decider = new(Policy, new AutoscaleBehavior());

    [Fact]
    public void FakeSamples_CpuAboveTargetAtMaxInstances_ResizesUpOneFlavor_OnceTheUpWindowAgrees()
    {
        var first = Sample(instances: 2, cpu: 150, "nano");
        Assert.Equal(AutoscaleAction.Hold, first.Action);
        Assert.Contains("scale-up window", first.Reason, StringComparison.Ordinal);

        var decision = Step(5, instances: 2, cpu: 150, "nano");

        Assert.Equal(AutoscaleAction.ResizeUp, decision.Action);
        Assert.Equal("XS", decision.Flavor);
        Assert.Equal(2, decision.Desired);
        Assert.Contains("cpu 150% vs target 50% → 6; clamped to 1–2; at max-instances (2) → flavor XS", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FakeSamples_CpuAboveTargetBelowMaxInstances_ScalesOutFirst_NoResize()
    {
        Sample(instances: 1, cpu: 150, "nano");

        var decision = Step(5, instances: 1, cpu: 150, "nano");

        Assert.Equal(AutoscaleAction.ScaleOut, decision.Action);
        Assert.Equal(2, decision.Desired);
        Assert.Null(decision.Flavor);
    }

    [Fact]
    public void FakeSamples_AfterAResize_WaitsForTheResizeCooldown_AndNeverGoesPastMaxFlavor()
    {
        Sample(2, 150, "nano");
        Assert.Equal(AutoscaleAction.ResizeUp, Step(5, 2, 150, "nano").Action);
        _decider.Resized(_clock.GetUtcNow());

        var held = new List<AutoscaleDecision>();
        for (var elapsed = 5; elapsed < 120; elapsed += 5)
        {
            held.Add(Step(5, 2, 150, "XS"));
        }

        Assert.All(held, d => Assert.Equal(AutoscaleAction.Hold, d.Action));
        Assert.Contains(held, d => d.Reason.Contains("cooldown after the last flavor change", StringComparison.Ordinal));
        var next = Step(5, 2, 150, "XS"); // 120 s after the resize
        Assert.Equal(AutoscaleAction.ResizeUp, next.Action);
        Assert.Equal("S", next.Flavor);
        _decider.Resized(_clock.GetUtcNow());

        for (var i = 0; i < 40; i++)
        {
            var atMax = Step(5, 2, 150, "S");
            Assert.Equal(AutoscaleAction.Hold, atMax.Action); // S is max-flavor: nothing larger
        }
    }

    [Fact]
    public void FakeSamples_LowCpuAtMinInstances_ResizesDown_OnlyWhenTheSmallerFlavorStaysUnderTheTarget()
    {
        // On XS (one core) 30 % would be 60 % of nano's half core: above the target, so XS stays.
        Sample(1, 30, "XS");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(AutoscaleAction.Hold, Step(5, 1, 30, "XS").Action);
        }

        // 20 % would be 40 % on nano: under 50 % by more than the tolerance. The whole 60 s down window must agree first.
        var decisions = Enumerable.Range(0, 12).Select(_ => Step(5, 1, 20, "XS")).ToList();
        Assert.All(decisions, d => Assert.Equal(AutoscaleAction.Hold, d.Action));
        var down = Step(5, 1, 20, "XS");

        Assert.Equal(AutoscaleAction.ResizeDown, down.Action);
        Assert.Equal("nano", down.Flavor);
        Assert.Contains("cpu would be 40% on nano → flavor nano", down.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FakeSamples_FlavorOutsideTheRange_MovesIntoItAtOnce_ButBacksOffAfterAFailure()
    {
        var up = Sample(1, 10, "pico");
        Assert.Equal((AutoscaleAction.ResizeUp, "nano"), (up.Action, up.Flavor));
        var down = Sample(1, 10, "XL");
        Assert.Equal((AutoscaleAction.ResizeDown, "S"), (down.Action, down.Flavor));

        _decider.Failed(_clock.GetUtcNow());
        var held = Step(5, 1, 10, "pico");
        Assert.Equal(AutoscaleAction.Hold, held.Action);
        Assert.Contains("backing off", held.Reason, StringComparison.Ordinal);
        Assert.Equal(AutoscaleAction.ResizeUp, Step(30, 1, 10, "pico").Action);
    }

    [Fact]
    public void FakeSamples_PolicyWithoutAFlavorRange_NeverResizes()
    {
        var horizontal = new AutoscaleDecider(new AutoscalePolicy { MinInstances = 1, MaxInstances = 2, TargetCpuPercent = 50 }, new AutoscaleBehavior());
        for (var i = 0; i < 30; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(AutoscaleAction.Hold, horizontal.Decide(_clock.GetUtcNow(), new AutoscaleSample(2, true, 300, null, null, "nano")).Action);
        }
    }

    [Theory]
    [InlineData("nano", null, "max-flavor")]
    [InlineData(null, "S", "min-flavor")]
    public void FlavorRange_NeedsBothEnds(string? min, string? max, string field)
    {
        var errors = (Policy with { MinFlavor = min, MaxFlavor = max }).Validate();

        Assert.Contains(errors, e => e.Field == field && e.Message.Contains("both min-flavor and max-flavor", StringComparison.Ordinal));
    }

    [Fact]
    public void FlavorRange_WithoutACpuTarget_IsRefusedNamingTargetCpu()
    {
        var errors = (Policy with { TargetCpuPercent = null, TargetRps = 10 }).Validate();

        Assert.Contains(errors, e => e.Field == "target-cpu" && e.Message.Contains("follows the CPU target", StringComparison.Ordinal));
    }

    private AutoscaleDecision Sample(int instances, double cpu, string flavor) =>
        _decider.Decide(_clock.GetUtcNow(), new AutoscaleSample(instances, true, cpu, null, null, flavor));

    private AutoscaleDecision Step(int seconds, int instances, double cpu, string flavor)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        return Sample(instances, cpu, flavor);
    }
}

using Microsoft.Extensions.Time.Testing;
using Nuage.Server.Deployments;

namespace Nuage.Server.Tests.Deployments;

/// <summary>The heap is trimmed once after a burst of deployments, when none has run for the quiet period, never during one.</summary>
public sealed class IdleHeapTrimmerTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task BurstOfDeployments_TrimsOnceAfterTheLastEnds()
    {
        using var trimmer = new IdleHeapTrimmer(_clock);
        await using var queue = new DeploymentQueue(new DeploymentOptions { MaxConcurrent = 2 }, trimmer);
        var release = new TaskCompletionSource();
        var ran = 0;
        for (var i = 0; i < 3; i++)
        {
            queue.Enqueue($"app{i}", $"dep_{i}", cancelPrevious: false, async _ =>
            {
                await release.Task;
                Interlocked.Increment(ref ran);
            });
        }

        _clock.Advance(IdleHeapTrimmer.QuietPeriod * 3);
        Assert.Equal(0, trimmer.Trims); // deployments are running or queued

        release.SetResult();
        await queue.IdleAsync();
        Assert.Equal(3, ran);
        _clock.Advance(IdleHeapTrimmer.QuietPeriod - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, trimmer.Trims);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, trimmer.Trims);
        _clock.Advance(IdleHeapTrimmer.QuietPeriod * 10);
        Assert.Equal(1, trimmer.Trims); // once per burst, not periodically
    }

    [Fact]
    public void DeploymentStartingDuringTheQuietPeriod_PostponesTheTrim()
    {
        using var trimmer = new IdleHeapTrimmer(_clock);
        trimmer.DeploymentStarted();
        trimmer.DeploymentEnded();
        _clock.Advance(IdleHeapTrimmer.QuietPeriod / 2);
        trimmer.DeploymentStarted();
        _clock.Advance(IdleHeapTrimmer.QuietPeriod * 2);
        Assert.Equal(0, trimmer.Trims);

        trimmer.DeploymentEnded();
        _clock.Advance(IdleHeapTrimmer.QuietPeriod);
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void ServerStart_TrimsOnceQuiet_UnlessADeploymentRuns()
    {
        using var trimmer = new IdleHeapTrimmer(_clock);
        trimmer.DeploymentStarted(); // a deployment recovered at start
        trimmer.Started();
        _clock.Advance(IdleHeapTrimmer.QuietPeriod * 2);
        Assert.Equal(0, trimmer.Trims);

        trimmer.DeploymentEnded();
        _clock.Advance(IdleHeapTrimmer.QuietPeriod);
        Assert.Equal(1, trimmer.Trims);
    }
}

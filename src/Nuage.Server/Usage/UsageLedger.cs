using Nuage.Core.State;
using Nuage.Core.Usage;

namespace Nuage.Server.Usage;

/// <summary>What an instance is metered as: its app or add-on, organisation and flavor (or plan).</summary>
internal sealed record UsageSubject(string Kind, string Id, string Name, string OrgId, string Flavor);

/// <summary>
/// The counting rules, over the store and nothing else (the meter feeds it; tests drive it with a fake clock).
/// An instance run is one interval from its process start; an interval stays open while the run is live, across server
/// restarts when the run is re-adopted. A run that ended unseen (it died while the server was down) is closed at the
/// last checkpoint that saw it alive, so usage is never over-counted and under-counted by at most one checkpoint period.
/// A reopened interval never starts before the instance's previous one ended: no second is counted twice.
/// </summary>
internal sealed class UsageLedger(IUsageStore store)
{
    /// <summary>A run of the instance is live since <paramref name="runStartedAt"/> (started, restarted or re-adopted).</summary>
    public async Task LiveAsync(string instanceId, UsageSubject subject, long runStartedAt, CancellationToken cancellationToken)
    {
        var open = (await store.ListOpenAsync(cancellationToken)).FirstOrDefault(i => i.InstanceId == instanceId);
        if (open is not null)
        {
            if (open.StartedAt >= runStartedAt)
            {
                return; // the same run (re-adopted, or a second event of one start)
            }

            // An earlier run that ended while nobody watched: it counts until it was last seen alive.
            await store.CloseAsync(instanceId, Math.Min(open.LastSeenAt, runStartedAt), cancellationToken);
        }

        var lastEnd = await store.LastEndAsync(instanceId, cancellationToken);
        await store.TryOpenAsync(
            new UsageInterval
            {
                InstanceId = instanceId,
                SubjectKind = subject.Kind,
                SubjectId = subject.Id,
                SubjectName = subject.Name,
                OrgId = subject.OrgId,
                Flavor = subject.Flavor,
                StartedAt = Math.Max(runStartedAt, lastEnd ?? long.MinValue),
                LastSeenAt = Math.Max(runStartedAt, lastEnd ?? long.MinValue),
            },
            cancellationToken);
    }

    /// <summary>The instance's run ended at <paramref name="at"/> (exited, crashed, stopped).</summary>
    public Task EndedAsync(string instanceId, long at, CancellationToken cancellationToken) =>
        store.CloseAsync(instanceId, at, cancellationToken);

    /// <summary>The live instances were alive at <paramref name="at"/>.</summary>
    public Task CheckpointAsync(IReadOnlyCollection<string> liveInstanceIds, long at, CancellationToken cancellationToken) =>
        store.CheckpointAsync(liveInstanceIds, at, cancellationToken);

    /// <summary>
    /// After a server start, once instances are re-adopted: every open interval whose instance is no longer live ended
    /// unseen, so it closes at its last checkpoint. Returns how many were closed.
    /// </summary>
    public async Task<int> CloseVanishedAsync(Func<string, bool> isLive, CancellationToken cancellationToken)
    {
        var closed = 0;
        foreach (var open in await store.ListOpenAsync(cancellationToken))
        {
            if (!isLive(open.InstanceId) && await store.CloseAsync(open.InstanceId, open.LastSeenAt, cancellationToken))
            {
                closed++;
            }
        }

        return closed;
    }
}

using Nuage.Core.Instances;
using Nuage.Runtime.Processes;

namespace Nuage.Runtime.Scheduling;

/// <summary>Re-attaching to instances that kept running while the server was down.</summary>
public sealed partial class LocalScheduler
{
    /// <summary>
    /// Resumes supervision of instances started by an earlier server process. An instance is adopted only when its pid
    /// is alive and has the recorded start time (a reused pid is not mistaken for it). The others are reported with
    /// their exit code when the wrapper recorded one; the caller starts replacements for them. An adopted instance keeps
    /// its network namespace and address (they outlive the server); a dead one's namespace is removed.
    /// </summary>
    public async Task<IReadOnlyList<AdoptionResult>> AdoptAsync(IEnumerable<AdoptedInstance> instances, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var results = new List<AdoptionResult>();
        foreach (var (spec, saved) in instances)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_instances.TryGetValue(spec.InstanceId, out var known) && !IsFinal(known.State.Status))
            {
                results.Add(new AdoptionResult(spec.InstanceId, true, known.State, null));
                continue;
            }

            var stat = saved.Pid > 0 ? ProcStat.Read(saved.Pid) : null;
            if (stat is { IsZombie: false } && stat.StartTicks == saved.StartTicks)
            {
                var state = saved with { Status = saved.Status == InstanceStatus.Starting ? InstanceStatus.Starting : InstanceStatus.Running };
                var instance = new SupervisedInstance(spec, state, NewTracker());
                _instances[spec.InstanceId] = instance;
                if (state.Status == InstanceStatus.Running)
                {
                    instance.Started.TrySetResult(state);
                }

                Emit(InstanceEventKind.Adopted, state, $"Re-attached to the running instance after a server restart (pid {state.Pid}).");
                instance.Loop = Task.Run(() => SuperviseAsync(instance), CancellationToken.None);
                results.Add(new AdoptionResult(spec.InstanceId, true, state, null));
                continue;
            }

            var reason = stat is null || stat.IsZombie
                ? $"process {saved.Pid} is gone"
                : $"pid {saved.Pid} now belongs to another process (start time {stat.StartTicks}, expected {saved.StartTicks})";
            var (_, code) = WrapperScript.ReadStatus(_launcher.StatusFile(spec.InstanceId));
            var oomKilled = (_capabilities.Cgroups?.ReadOomKills(spec.AppId, spec.InstanceId) ?? 0) > saved.OomKillsAtStart;
            await KillLeftoversAsync(spec).ConfigureAwait(false);
            _capabilities.Cgroups?.Remove(spec.AppId, spec.InstanceId);
            _launcher.Forget(spec.InstanceId);
            await RemoveNetworkAsync(spec).ConfigureAwait(false);
            var final = saved with
            {
                Pid = 0,
                StartTicks = 0,
                ExitCode = code ?? saved.ExitCode,
                Status = oomKilled ? InstanceStatus.OomKilled : IsFinal(saved.Status) ? saved.Status : InstanceStatus.Exited,
            };
            results.Add(new AdoptionResult(spec.InstanceId, false, final, code is null ? reason : $"{reason} (exit code {code})"));
        }

        return results;
    }
}

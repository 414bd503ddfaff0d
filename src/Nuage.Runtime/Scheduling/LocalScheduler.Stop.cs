using Nuage.Core.Instances;
using Nuage.Runtime.Processes;

namespace Nuage.Runtime.Scheduling;

/// <summary>Graceful stop: SIGTERM to the app's processes, SIGKILL to everything after the timeout.</summary>
public sealed partial class LocalScheduler
{
    /// <summary>
    /// Stops an instance: SIGTERM to every process of the app (its process group/session and cgroup — not the sandbox's
    /// own bwrap monitors, so the app's exit code still comes through), then SIGKILL after <paramref name="timeout"/>
    /// (default <see cref="LocalSchedulerOptions.StopTimeout"/>). Returns the final state, Stopped. Idempotent.
    /// </summary>
    public async Task<InstanceState> StopAsync(string instanceId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var instance = Find(instanceId);
        await instance.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsFinal(instance.State.Status))
            {
                return instance.State;
            }

            instance.StopRequested = true;
            var state = instance.State;
            var exitCode = state.ExitCode;
            if (ProcStat.IsAlive(state.Pid, state.StartTicks))
            {
                SignalApp(instance.Spec, state.Pid, Signals.SigTerm, includeMonitors: false);
                if (!await WaitGoneAsync(state, timeout ?? _options.StopTimeout, cancellationToken).ConfigureAwait(false))
                {
                    SignalApp(instance.Spec, state.Pid, Signals.SigKill, includeMonitors: true);
                    await WaitGoneAsync(state, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                }

                exitCode = WrapperScript.ReadStatus(_launcher.StatusFile(instanceId)).Code ?? 137;
            }

            await instance.Lifetime.CancelAsync().ConfigureAwait(false);
            await instance.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await FinishAsync(instance, InstanceStatus.Stopped, exitCode, InstanceEventKind.Stopped, $"Stopped (exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).").ConfigureAwait(false);
            return instance.State;
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    /// <summary>
    /// Signals the instance's processes: those in its cgroup and those in the session the wrapper leads.
    /// SIGTERM skips the wrapper and bubblewrap's monitor processes (bwrap dies on SIGTERM, which would
    /// lose the app's exit code and cut its graceful shutdown short); SIGKILL takes everything.
    /// </summary>
    private void SignalApp(InstanceSpec spec, int wrapperPid, int signal, bool includeMonitors)
    {
        var pids = new HashSet<int>(_capabilities.Cgroups?.ReadPids(spec.AppId, spec.InstanceId) ?? []);
        foreach (var member in ProcStat.InSession(wrapperPid))
        {
            pids.Add(member.Pid);
        }

        foreach (var pid in pids)
        {
            var monitor = pid == wrapperPid || ProcStat.Read(pid)?.Comm == "bwrap";
            if (includeMonitors || !monitor)
            {
                Signals.Send(pid, signal);
            }
        }
    }

    private async Task<bool> WaitGoneAsync(InstanceState state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (ProcStat.IsAlive(state.Pid, state.StartTicks))
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}

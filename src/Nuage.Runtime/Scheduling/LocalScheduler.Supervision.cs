using System.Globalization;
using Nuage.Core.Instances;
using Nuage.Runtime.Processes;

namespace Nuage.Runtime.Scheduling;

/// <summary>The supervision loop: wait for the process to end, decide, back off, restart.</summary>
public sealed partial class LocalScheduler
{
    private async Task SuperviseAsync(SupervisedInstance instance)
    {
        var token = instance.Lifetime.Token;
        try
        {
            while (true)
            {
                await WaitForEndAsync(instance, token).ConfigureAwait(false);
                await instance.Gate.WaitAsync(token).ConfigureAwait(false);
                TimeSpan delay;
                try
                {
                    if (instance.StopRequested || IsFinal(instance.State.Status))
                    {
                        return;
                    }

                    if (await HandleEndAsync(instance).ConfigureAwait(false) is not { } wait)
                    {
                        return;
                    }

                    delay = wait;
                }
                finally
                {
                    instance.Gate.Release();
                }

                await Task.Delay(delay, _time, token).ConfigureAwait(false);
                await instance.Gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    if (instance.StopRequested)
                    {
                        return;
                    }

                    await KillLeftoversAsync(instance.Spec).ConfigureAwait(false);
                    var next = await _launcher.LaunchAsync(instance.Spec, instance.State.Restarts + 1, token).ConfigureAwait(false);
                    instance.Swap(next);
                    Emit(InstanceEventKind.Restarted, next, string.Create(CultureInfo.InvariantCulture, $"Restarted (restart #{next.Restarts}, pid {next.Pid})."));
                }
                finally
                {
                    instance.Gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Scheduler disposed or instance stopped: the process (if any) is left to its owner.
        }
#pragma warning disable CA1031 // Supervision of one instance must not take the server down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSupervisionFailed(instance.Spec.InstanceId, e);
        }
    }

    /// <summary>Polls /proc until the supervised process has ended; promotes Starting to Running once the pre-run hook passed.</summary>
    private async Task WaitForEndAsync(SupervisedInstance instance, CancellationToken token)
    {
        while (true)
        {
            var state = instance.State;
            if (!ProcStat.IsAlive(state.Pid, state.StartTicks))
            {
                return;
            }

            if (state.Status == InstanceStatus.Starting
                && WrapperScript.ReadStatus(_launcher.StatusFile(state.InstanceId)).Phase == "running")
            {
                var running = state with { Status = InstanceStatus.Running };
                instance.Swap(running);
                instance.Started.TrySetResult(running);
                Emit(InstanceEventKind.Started, running, $"{instance.Spec.Kind} instance started after its pre-run hook (pid {running.Pid}).");
            }

            await Task.Delay(_options.ExitPollInterval, _time, token).ConfigureAwait(false);
        }
    }

    /// <summary>Records how the process ended; returns the back-off delay when it restarts, null when it is finished.</summary>
    private async Task<TimeSpan?> HandleEndAsync(SupervisedInstance instance)
    {
        var spec = instance.Spec;
        var state = instance.State;
        var (phase, code) = WrapperScript.ReadStatus(_launcher.StatusFile(spec.InstanceId));
        var oomKilled = (_capabilities.Cgroups?.ReadOomKills(spec.AppId, spec.InstanceId) ?? 0) > state.OomKillsAtStart;

        // A wrapper killed before writing its status (SIGKILL from outside) reports as 128 + 9, like a shell.
        var exitCode = code ?? 137;
        if (phase == "hook-failed")
        {
            instance.HookFailed = true;
            await FinishAsync(instance, InstanceStatus.Exited, exitCode, InstanceEventKind.PreRunHookFailed, $"Pre-run hook failed with exit code {exitCode}; the instance does not start.");
            return null;
        }

        var failed = oomKilled || exitCode != 0;
        var policy = spec.EffectiveRestartPolicy;
        var restart = policy == RestartPolicy.Always || (policy == RestartPolicy.OnFailure && failed);
        var ended = state with { ExitCode = exitCode, Pid = 0, StartTicks = 0 };
        if (oomKilled)
        {
            Emit(InstanceEventKind.OomKilled, ended with { Status = InstanceStatus.OomKilled },
                $"Killed for exceeding the memory limit of flavor {spec.Flavor.Name} ({spec.Flavor.MemoryMiB} MiB).");
        }

        if (!restart)
        {
            var status = oomKilled ? InstanceStatus.OomKilled : InstanceStatus.Exited;
            await FinishAsync(instance, status, exitCode, InstanceEventKind.Exited, $"Exited with code {exitCode}.");
            return null;
        }

        if (instance.Tracker.RecordExit(state.StartedAt, _time.GetUtcNow()))
        {
            await FinishAsync(instance, InstanceStatus.CrashLooping, exitCode, InstanceEventKind.CrashLooping,
                $"Crash loop: {instance.Tracker.Threshold} exits within {instance.Tracker.Window}; not restarting any more (last exit code {exitCode}).");
            return null;
        }

        var delay = instance.Tracker.NextDelay(spec.RestartDelay);
        var crashed = ended with { Status = InstanceStatus.Crashed };
        instance.Swap(crashed);
        instance.Started.TrySetResult(crashed);
        Emit(InstanceEventKind.Crashed, crashed, $"Exited with code {exitCode}; restarting in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        return delay;
    }

    /// <summary>Makes the state final, cleans up the cgroup and run files, and wakes the waiters.</summary>
    private async Task FinishAsync(SupervisedInstance instance, InstanceStatus status, int? exitCode, InstanceEventKind kind, string message)
    {
        var spec = instance.Spec;
        await KillLeftoversAsync(spec).ConfigureAwait(false);
        _capabilities.Cgroups?.Remove(spec.AppId, spec.InstanceId);
        _launcher.Forget(spec.InstanceId);
        await RemoveNetworkAsync(spec).ConfigureAwait(false);
        if (spec.Port is { } port)
        {
            ReleasePort(port);
        }

        var final = instance.State with { Status = status, ExitCode = exitCode, Pid = 0, StartTicks = 0 };
        instance.Swap(final);
        Emit(kind, final, message);
        instance.Started.TrySetResult(final);
        instance.Finished.TrySetResult(final);
    }

    /// <summary>Processes left in the instance's cgroup once its main process is gone (e.g. daemonised children without a sandbox).</summary>
    private async Task KillLeftoversAsync(InstanceSpec spec)
    {
        if (_capabilities.Cgroups is not { } cgroups)
        {
            return;
        }

        // Bounded: killed processes leave the cgroup within milliseconds; give up after about two seconds.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var pids = cgroups.ReadPids(spec.AppId, spec.InstanceId);
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                Signals.Send(pid, Signals.SigKill);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time).ConfigureAwait(false);
        }
    }
}

namespace Nuage.Core.Variables;

/// <summary>When a worker that exited is started again (<c>CC_WORKER_RESTART</c>).</summary>
public enum WorkerRestartPolicy
{
    OnFailure,
    Always,
    No,
}

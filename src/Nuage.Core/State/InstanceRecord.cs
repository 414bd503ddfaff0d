namespace Nuage.Core.State;

/// <summary>
/// A running instance as remembered across server restarts: the scheduler's spec and last state, as JSON
/// owned by the scheduler integration, so the store stays independent of it.
/// </summary>
public sealed record InstanceRecord(string InstanceId, string AppId, string DeploymentId, string Spec, string State);

public interface IInstanceStore
{
    Task SaveAsync(InstanceRecord instance, CancellationToken cancellationToken);

    Task DeleteAsync(string instanceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<InstanceRecord>> ListAsync(CancellationToken cancellationToken);
}

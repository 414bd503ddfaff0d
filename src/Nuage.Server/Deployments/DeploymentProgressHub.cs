using System.Collections.Concurrent;

namespace Nuage.Server.Deployments;

/// <summary>Live progress of recent deployments, by id. Finished ones are kept for late readers, up to a bound.</summary>
internal sealed class DeploymentProgressHub
{
    private const int KeepFinished = 200;
    private readonly ConcurrentDictionary<string, DeploymentProgress> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public DeploymentProgress Open(string deploymentId)
    {
        var progress = _byId.GetOrAdd(deploymentId, _ => new DeploymentProgress());
        _order.Enqueue(deploymentId);
        while (_order.Count > KeepFinished && _order.TryPeek(out var oldest) && _byId.TryGetValue(oldest, out var old) && old.IsFinished)
        {
            _order.TryDequeue(out _);
            _byId.TryRemove(oldest, out _);
        }

        return progress;
    }

    public DeploymentProgress? Find(string deploymentId) => _byId.GetValueOrDefault(deploymentId);
}

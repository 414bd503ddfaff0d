using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Server.Instances;

namespace Nuage.Server.Addons;

/// <summary>
/// Keeps network isolation's exceptions in step with the links: each instance of a linked app may open TCP connections
/// to its add-on's address and port, nothing else may. Recomputed whole (links × app instances × add-on servers) and
/// handed to the scheduler, which swaps its firewall set in one transaction; called before app instances start, at
/// restore, and when links or add-ons change.
/// </summary>
internal sealed class AddonFirewall(IInstanceScheduler scheduler, IStateStore store, AppInstances instances, AddonServers servers) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return; // the server is stopping (a deployment still running at stop gets here): the next start syncs the flows
        }

        try
        {
            var appSpecs = instances.AllSpecs();
            var flows = new List<InstanceFlow>();
            foreach (var link in await store.Addons.ListLinksAsync(null, null, cancellationToken))
            {
                if (servers.Spec(link.AddonId) is not { Address: { } addon, Port: { } port })
                {
                    continue;
                }

                flows.AddRange(appSpecs.Where(s => s.AppId == link.AppId && s.Address is not null).Select(s => new InstanceFlow(s.Address!, addon, port)));
            }

            await scheduler.AllowFlowsAsync(flows, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

using Microsoft.Extensions.Logging;
using Nuage.Core.Routing;
using Nuage.Router.Routing;

namespace Nuage.Router.Health;

/// <summary>
/// Ejects an instance that fails a connection and re-admits it after a successful probe (the app's health paths, or TCP).
/// One probe loop per ejected instance; it ends when the instance is re-admitted, retired, or the router stops.
/// </summary>
internal sealed class PassiveHealth(HealthChecker checker, TimeSpan probeInterval, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    public void ReportConnectionFailure(DestinationState destination, AppRoute route, Exception? error)
    {
        if (!destination.TryEject())
        {
            return;
        }

        LogMessages.Ejected(logger, destination.InstanceId, route.AppId, error);
        _ = ProbeUntilHealthyAsync(destination, route);
    }

    private async Task ProbeUntilHealthyAsync(DestinationState destination, AppRoute route)
    {
        var instance = new InstanceEndpoint(destination.InstanceId, 0, destination.Prefix);
        try
        {
            while (true)
            {
                await Task.Delay(probeInterval, time, stopping);
                if (destination.IsRetired)
                {
                    // Out of the table: no traffic goes there; a later publish is health-checked by the orchestrator.
                    destination.Readmit();
                    return;
                }

                var result = await checker.CheckAsync(instance, route.HealthPaths, stopping);
                if (result.Healthy)
                {
                    destination.Readmit();
                    LogMessages.Readmitted(logger, destination.InstanceId);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The router is stopping.
        }
    }
}

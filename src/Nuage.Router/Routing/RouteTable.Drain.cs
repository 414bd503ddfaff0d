namespace Nuage.Router.Routing;

internal sealed partial class RouteTable
{
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Waits until no request or WebSocket runs on the given instances, or the timeout passes; then aborts what is left
    /// and forgets the instances (unless they were published again meanwhile).
    /// </summary>
    public async Task<DrainReport> DrainAsync(IReadOnlyCollection<string> instanceIds, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var draining = new List<DestinationState>();
        lock (_write)
        {
            foreach (var id in instanceIds)
            {
                if (_destinations.TryGetValue(id, out var destination) && !_current.IsPublished(id))
                {
                    destination.Retire();
                    draining.Add(destination);
                }
            }
        }

        while (draining.Exists(d => d.InFlight > 0) && time.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(DrainPollInterval, time, cancellationToken);
        }

        var aborted = 0;
        foreach (var destination in draining)
        {
            var left = destination.InFlight;
            if (left > 0)
            {
                aborted += left;
                destination.Abort();
            }
        }

        lock (_write)
        {
            foreach (var destination in draining)
            {
                if (!_current.IsPublished(destination.InstanceId) && _destinations.TryGetValue(destination.InstanceId, out var known) && ReferenceEquals(known, destination))
                {
                    _destinations.Remove(destination.InstanceId);
                    destination.Site?.Dispose(); // nothing reads it any more: the descriptor on the old release closes
                }
            }
        }

        return new DrainReport(aborted == 0, aborted, time.GetElapsedTime(started));
    }

    public int InFlight(string instanceId)
    {
        lock (_write)
        {
            return _destinations.TryGetValue(instanceId, out var destination) ? destination.InFlight : 0;
        }
    }
}

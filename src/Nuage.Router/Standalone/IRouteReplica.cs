namespace Nuage.Router.Standalone;

/// <summary>A router that serves what another <see cref="NuageRouter"/> holds (the <c>nuage router</c> process, fed by the server).</summary>
public interface IRouteReplica
{
    /// <summary>Routes or certificates changed; send a new snapshot (may be coalesced with the next change).</summary>
    void RoutesChanged();

    /// <summary>Sends the latest snapshot now if anything changed since the last one, and returns once the replica applied it.</summary>
    Task SyncAsync(CancellationToken cancellationToken);

    /// <summary>Sends the latest snapshot, then waits for requests to the given (unpublished) instances to finish there.</summary>
    Task<DrainReport> DrainAsync(IReadOnlyCollection<string> instanceIds, TimeSpan timeout, CancellationToken cancellationToken);
}

namespace Nuage.Router;

/// <summary>Outcome of <see cref="NuageRouter.DrainAsync"/>.</summary>
/// <param name="Completed">True when every in-flight request and WebSocket finished before the timeout.</param>
/// <param name="AbortedRequests">Requests still running at the timeout; they were aborted by the router.</param>
/// <param name="Elapsed">How long the drain took.</param>
public sealed record DrainReport(bool Completed, int AbortedRequests, TimeSpan Elapsed);

using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>Sends one batch to a drain's receiver. Throwing means "nothing confirmed": the batch is retried after a backoff.</summary>
internal interface IDrainTransport : IAsyncDisposable
{
    Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct);
}

/// <summary>
/// Outcome of a send that reached the receiver: records rejected for good (<see cref="Skipped"/>, e.g. a 4xx item),
/// and records to send again (<see cref="Retry"/>, e.g. 429 items) before the cursor may move past the batch.
/// </summary>
internal sealed record DeliveryResult(int Skipped, string? SkipReason, IReadOnlyList<StoredLogRecord> Retry)
{
    public static DeliveryResult Ok { get; } = new(0, null, []);
}

/// <summary>A receiver answered with an error; the message names what it said.</summary>
internal sealed class DrainDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

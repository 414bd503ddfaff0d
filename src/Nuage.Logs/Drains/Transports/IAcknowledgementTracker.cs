namespace Nuage.Logs.Drains.Transports;

/// <summary>
/// A transport whose send returns once bytes are handed to the kernel, not once the receiver has them (syslog over
/// TCP/TLS). The drain's durable cursor follows <see cref="AcknowledgedThrough"/>, never what was merely written.
/// </summary>
internal interface IAcknowledgementTracker
{
    /// <summary>Highest sequence whose bytes the receiver acknowledged (0 when none on this connection yet).</summary>
    long AcknowledgedThrough();

    /// <summary>Waits until everything written is acknowledged; throws (stalled, reset) when it does not happen.</summary>
    Task WaitAllAcknowledgedAsync(CancellationToken ct);

    /// <summary>After a failure: the cursor to resume from (at most <paramref name="durableCursor"/>; earlier to resend lines a resetting receiver may have dropped).</summary>
    long ResumeFrom(long durableCursor);
}

namespace Nuage.Router.Routing;

/// <summary>
/// Runtime state of one instance as a forwarding destination: in-flight count (for draining), passive health, and
/// whether it left the route table. Shared by every snapshot that contains the instance; counters are updated with
/// <see cref="Interlocked"/> only.
/// </summary>
internal sealed class DestinationState : IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private int _inFlight;
    private int _retired;
    private int _ejected;

    public DestinationState(string instanceId, InstanceAddress address)
    {
        InstanceId = instanceId;
        Address = address;
        Prefix = address.Prefix;
    }

    /// <summary>A static site the router serves itself: drained like an instance, never forwarded to.</summary>
    public DestinationState(string servingId, StaticFiles.StaticSite site)
    {
        InstanceId = servingId;
        Site = site;
        Prefix = string.Empty;
    }

    public string InstanceId { get; }

    /// <summary>Where requests are forwarded; null for a static site.</summary>
    public InstanceAddress? Address { get; }

    /// <summary>The files served, for a static site; null for an instance.</summary>
    public StaticFiles.StaticSite? Site { get; }

    public string Prefix { get; }

    /// <summary>Cancelled when a drain times out: aborts the requests and WebSockets still running here.</summary>
    public CancellationToken AbortToken => _abort.Token;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    public bool IsEjected => Volatile.Read(ref _ejected) != 0;

    public bool IsAvailable => (Volatile.Read(ref _retired) | Volatile.Read(ref _ejected)) == 0;

    /// <summary>
    /// Counts a request in, unless the destination was retired meanwhile. The increment comes before the retired check and
    /// <see cref="Retire"/> writes before the drain reads <see cref="InFlight"/>, so a drain never misses a request.
    /// </summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void Retire() => Interlocked.Exchange(ref _retired, 1);

    public void Restore() => Interlocked.Exchange(ref _retired, 0);

    /// <summary>Marks the destination as failing connections; true for the caller that ejected it (it starts the probe).</summary>
    public bool TryEject() => Interlocked.Exchange(ref _ejected, 1) == 0;

    public void Readmit() => Interlocked.Exchange(ref _ejected, 0);

    public void Abort() => _abort.Cancel();

    public void Dispose()
    {
        _abort.Dispose();
        Site?.Dispose();
    }
}

namespace Nuage.Bgp.Rpki;

/// <summary>Where the RPKI cache (validator) listens and how this client talks to it.</summary>
public sealed record RtrClientOptions
{
    public required string Host { get; init; }

    /// <summary>The cache's RTR port (IANA's rpki-rtr is 323; stayrtr and Routinator default to 8282 and 3323).</summary>
    public int Port { get; init; } = 323;

    /// <summary>The highest protocol version to offer; 1 (RFC 8210), falling back to 0 (RFC 6810) when the cache only speaks 0.</summary>
    public byte Version { get; init; } = 1;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for a whole answer (Cache Response to End of Data) before giving up on the connection.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    // Defaults of RFC 8210 §6, used until the cache's End of Data says otherwise (always in version 0).
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(3600);

    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(600);

    public TimeSpan Expire { get; init; } = TimeSpan.FromSeconds(7200);

    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>Where the client stands with its cache.</summary>
public enum RtrClientState
{
    Connecting,

    /// <summary>Connected and holding the cache's data as of the last End of Data.</summary>
    Synchronized,

    /// <summary>Disconnected (or refused); the last data is still used until it expires.</summary>
    Retrying,

    /// <summary>No End of Data within the expire interval: the data is dropped and every prefix validates as NotFound.</summary>
    Expired,
}

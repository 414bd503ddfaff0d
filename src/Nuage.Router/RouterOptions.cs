namespace Nuage.Router;

/// <summary>
/// Settings of the router host. Every default lives here, in one place; <see cref="Validate"/> runs at start
/// and names the option and the fix for each problem.
/// </summary>
public sealed partial record RouterOptions
{
    /// <summary>Plain HTTP endpoints as <c>address:port</c>; port 0 picks a free port (tests). Default <c>0.0.0.0:8080</c>.</summary>
    public IReadOnlyList<string> HttpEndpoints { get; init; } = ["0.0.0.0:8080"];

    /// <summary>HTTPS endpoints as <c>address:port</c> (certificates per domain, chosen by SNI). Default none; the platform default is <c>0.0.0.0:8443</c>.</summary>
    public IReadOnlyList<string> HttpsEndpoints { get; init; } = [];

    /// <summary>Apps answer at <c>&lt;name&gt;.&lt;DomainSuffix&gt;</c>. Default <c>localhost</c>.</summary>
    public string DomainSuffix { get; init; } = "localhost";

    /// <summary>Peers (IP or CIDR) whose X-Forwarded-* and Forwarded headers are kept and extended. Default none.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Largest request body accepted, in bytes (413 beyond). Default 100 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Largest total size of the request line and headers, in bytes (431 beyond). Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalBytes { get; init; } = 32 * 1024;

    /// <summary>Most request headers accepted (431 beyond). Default 100.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Time a client has to send all request headers (slow clients are cut). Default 30 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time before a client keep-alive connection is closed. Default 120 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Time to open a connection to an instance before it counts as failed (passive health). Default 5 s.</summary>
    public TimeSpan BackendConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest silence from an instance (no response bytes) before the request fails with 504. Default 100 s.</summary>
    public TimeSpan BackendActivityTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Default wait for in-flight requests and WebSockets of replaced instances. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Value of <c>Retry-After</c> on 503 pages, in seconds. Default 5.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>Timeout of one health probe (one HTTP path or one TCP connect). Default 2 s.</summary>
    public TimeSpan HealthProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between health probes while waiting for new instances. Default 250 ms.</summary>
    public TimeSpan HealthProbeInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Pause between probes of an instance ejected by passive health before it is re-admitted. Default 1 s.</summary>
    public TimeSpan EjectedProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Access-log entries buffered between the hot path and the log sink; extra entries are dropped and counted. Default 65 536.</summary>
    public int AccessLogQueueCapacity { get; init; } = 65_536;

    /// <summary>
    /// Run request handling inline on the socket I/O threads instead of queueing it to the thread pool (Kestrel's
    /// UnsafePreferInlineScheduling): fewer thread hops per request. The router's own pipeline never blocks, but metric listeners
    /// run on the request path. No measurable gain on the 2-core bench machine (docs/benchmarks.md), so off by default.
    /// </summary>
    public bool InlineScheduling { get; init; }

    /// <summary>Accept HTTP/2 without TLS (prior knowledge, h2c) on the HTTP endpoints; HTTP/1.1 is then refused there. Default false.</summary>
    public bool Http2Cleartext { get; init; }
}

using System.Net;
using Nuage.Core.Errors;

namespace Nuage.Logs.Drains;

/// <summary>Host settings of drain delivery. Every default lives here.</summary>
public sealed record DrainOptions
{
    /// <summary>HOSTNAME in syslog messages and host.name in ECS documents.</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>Most records sent per delivery. Default 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>First retry delay; doubles per failure up to <see cref="MaxBackoff"/>, with ±50% jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-request timeout of HTTP-based drains and of syslog connects.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Allow drains to private (RFC 1918, CGNAT, ULA) and loopback receivers, e.g. a collector on this machine or the
    /// LAN (`nuage server --allow-private-drains`). Link-local, unspecified and this server's own listeners stay refused.
    /// </summary>
    public bool AllowPrivateDestinations { get; init; }

    /// <summary>This server's own listeners (API, router); drains never send there. The server fills it once it listens.</summary>
    public Func<IEnumerable<IPEndPoint>> OwnEndpoints { get; init; } = () => [];

    /// <summary>Longest a syslog-tcp/tls write or acknowledgement may wait on a receiver that takes no data; then the connection is dropped and resent.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A drain with a backlog that made no progress for this long shows as stalled.</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// syslog-tcp/tls: after a connection broke, lines the receiver's kernel had acknowledged in the last this-many bytes are
    /// sent again too (a receiver that resets drops what sat unread in its socket buffer). Default 8 MiB, above Linux's
    /// default largest receive buffer (net.ipv4.tcp_rmem, 6 MiB).
    /// </summary>
    public long ReplayBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>PEM file of extra CA certificates trusted by syslog-tls drains (besides the system store).</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>
    /// One error per bad option. Only <see cref="AllowPrivateDestinations"/> is a flag (--allow-private-drains, a
    /// boolean); the others are set by code, so their errors name the property.
    /// </summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (BatchSize is < 1 or > 10_000)
        {
            errors.Add(new FieldError(nameof(BatchSize), BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 1 to 10000"));
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            errors.Add(new FieldError(nameof(InitialBackoff), InitialBackoff.ToString(), $"use a positive duration not above {nameof(MaxBackoff)}"));
        }

        if (WriteTimeout <= TimeSpan.Zero || StallAfter <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(nameof(WriteTimeout), WriteTimeout.ToString(), $"use positive durations for {nameof(WriteTimeout)} and {nameof(StallAfter)}"));
        }

        if (ReplayBytes < 0)
        {
            errors.Add(new FieldError(nameof(ReplayBytes), ReplayBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 0 or more bytes"));
        }

        if (TrustedCaFile is not null && !File.Exists(TrustedCaFile))
        {
            errors.Add(new FieldError(nameof(TrustedCaFile), TrustedCaFile, "point it to an existing PEM file or leave it unset"));
        }

        return errors;
    }
}

using Nuage.Core.Errors;

namespace Nuage.Logs.Drains;

/// <summary>Host settings of drain delivery. Every default lives here.</summary>
public sealed class DrainOptions
{
    /// <summary>HOSTNAME in syslog messages and host.name in ECS documents.</summary>
    public string Hostname { get; set; } = Environment.MachineName;

    /// <summary>Most records sent per delivery. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>First retry delay; doubles per failure up to <see cref="MaxBackoff"/>, with ±50% jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-request timeout of HTTP-based drains and of syslog connects.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PEM file of extra CA certificates trusted by syslog-tls drains (besides the system store).</summary>
    public string? TrustedCaFile { get; set; }

    public void Validate()
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

        if (TrustedCaFile is not null && !File.Exists(TrustedCaFile))
        {
            errors.Add(new FieldError(nameof(TrustedCaFile), TrustedCaFile, "point it to an existing PEM file or leave it unset"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidDrainOptions, errors);
        }
    }
}

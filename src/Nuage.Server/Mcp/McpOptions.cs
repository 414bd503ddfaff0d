using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>Settings of the MCP endpoint (<c>/mcp</c>). Every default lives here and is documented in docs/mcp.md.</summary>
public sealed record McpOptions
{
    public const int DefaultCallsPerWindow = 60;
    public const int DefaultDeploysPerWindow = 6;
    public const int DefaultIdempotencyCapacity = 1000;

    /// <summary>Serve MCP at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Tool calls one token may make per <see cref="RateWindow"/> (every tool).</summary>
    public int CallsPerWindow { get; init; } = DefaultCallsPerWindow;

    /// <summary>Calls of deploy and rollback one token may make per <see cref="RateWindow"/> (on top of the general limit).</summary>
    public int DeploysPerWindow { get; init; } = DefaultDeploysPerWindow;

    /// <summary>The rate-limit window; budgets refill continuously over it (token bucket).</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many idempotency keys are remembered (oldest forgotten first).</summary>
    public int IdempotencyCapacity { get; init; } = DefaultIdempotencyCapacity;

    /// <summary>How long an idempotency key is remembered.</summary>
    public TimeSpan IdempotencyLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Host names accepted in the Host header besides loopback names and the API listener's host (DNS-rebinding guard).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (CallsPerWindow < 1)
        {
            errors.Add(new FieldError("mcp.callsPerWindow", CallsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        if (DeploysPerWindow < 1)
        {
            errors.Add(new FieldError("mcp.deploysPerWindow", DeploysPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        if (RateWindow <= TimeSpan.Zero)
        {
            errors.Add(new FieldError("mcp.rateWindow", RateWindow.ToString(), "use a positive duration such as 00:01:00"));
        }

        if (IdempotencyCapacity < 1)
        {
            errors.Add(new FieldError("mcp.idempotencyCapacity", IdempotencyCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        return errors;
    }
}

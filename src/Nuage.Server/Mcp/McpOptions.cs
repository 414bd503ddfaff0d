using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>Settings of the MCP endpoint (<c>/mcp</c>). Every default lives here and is documented in docs/mcp.md.</summary>
public sealed record McpOptions
{
    public const int DefaultCallsPerWindow = 60;
    public const int DefaultDeploysPerWindow = 6;
    public const int DefaultIdempotencyCapacity = 1000;

    /// <summary>The <c>nuage server</c> flags that set these options (messages name them, docs/operations.md lists them).</summary>
    public const string CallsPerWindowFlag = "--mcp-calls-per-window";
    public const string DeploysPerWindowFlag = "--mcp-deploys-per-window";
    public const string RateWindowFlag = "--mcp-rate-window-seconds";
    public const string IdempotencyCapacityFlag = "--mcp-idempotency-capacity";
    public const string AllowedHostFlag = "--mcp-allowed-host";

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
            errors.Add(new FieldError(CallsPerWindowFlag, CallsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        if (DeploysPerWindow < 1)
        {
            errors.Add(new FieldError(DeploysPerWindowFlag, DeploysPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        if (RateWindow <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(RateWindowFlag, RateWindow.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of seconds of at least 1, such as 60"));
        }

        if (IdempotencyCapacity < 1)
        {
            errors.Add(new FieldError(IdempotencyCapacityFlag, IdempotencyCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number of at least 1"));
        }

        return errors;
    }
}

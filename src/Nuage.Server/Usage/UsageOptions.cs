using Nuage.Core.Errors;

namespace Nuage.Server.Usage;

/// <summary>Usage metering and pricing settings (<c>nuage server --prices</c>).</summary>
public sealed record UsageOptions
{
    public const string PricesFlag = "--prices";

    /// <summary>The operator's price list (docs/usage.md); null: usage is metered but has no cost.</summary>
    public string? PricesFile { get; init; }

    /// <summary>
    /// How often live runs are recorded as alive. A run that ends while the server is down is counted until its last
    /// checkpoint, so this bounds how much such a run can be under-counted. Set by code only.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(15);

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (CheckpointInterval <= TimeSpan.Zero)
        {
            errors.Add(new FieldError("CheckpointInterval", CheckpointInterval.ToString(), "a positive duration"));
        }

        return errors;
    }
}

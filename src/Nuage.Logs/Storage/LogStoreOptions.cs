using Nuage.Core.Errors;

namespace Nuage.Logs.Storage;

/// <summary>Host settings of the embedded log store. Every default lives here.</summary>
public sealed record LogStoreOptions
{
    /// <summary>The <c>nuage server</c> flags that set the retention (messages name them, docs/operations.md lists them).</summary>
    public const string RetentionDaysFlag = "--log-retention-days";
    public const string RetentionMiBFlag = "--log-retention-mib";

    /// <summary>Directory holding one SQLite file per app plus drains.db (normally NuagePaths.LogStore).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Records older than this are deleted. Default 7 days.</summary>
    public TimeSpan RetentionAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Per-app size cap of the store file; the oldest records go first. Default 1 GiB.</summary>
    public long RetentionBytes { get; init; } = 1L << 30;

    /// <summary>How often retention runs. Default 1 minute.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Records the in-process sink may hold before new ones are dropped (and counted). Default 50 000.</summary>
    public int SinkCapacity { get; init; } = 50_000;

    /// <summary>Tailer batches waiting for the writer per app before tailers wait (backpressure). Default 8.</summary>
    public int TailerQueueBatches { get; init; } = 8;

    /// <summary>Most records written in one transaction. Default 8192.</summary>
    public int MaxWriteBatch { get; init; } = 8192;

    /// <summary>fsync every commit (survives power loss, slower). Default false: commits survive a process kill.</summary>
    public bool SyncEveryCommit { get; init; }

    /// <summary>Longest line kept whole; longer lines are split. Default 64 KiB.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>One error per bad option, naming its flag (or, for settings only code sets, its property), the value and the fix.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add(new FieldError(nameof(Directory), Directory, "set it to a writable directory, normally <data>/logs/store"));
        }

        Positive(errors, RetentionDaysFlag, RetentionAge, "a whole number of days of at least 1, such as 7");
        Positive(errors, nameof(RetentionInterval), RetentionInterval, "a duration above zero such as 00:01:00");
        if (RetentionBytes < 1 << 20)
        {
            errors.Add(new FieldError(RetentionMiBFlag, (RetentionBytes >> 20).ToString(System.Globalization.CultureInfo.InvariantCulture), "use at least 1 (MiB)"));
        }

        AtLeast(errors, nameof(SinkCapacity), SinkCapacity, 16);
        AtLeast(errors, nameof(TailerQueueBatches), TailerQueueBatches, 1);
        AtLeast(errors, nameof(MaxWriteBatch), MaxWriteBatch, 1);
        AtLeast(errors, nameof(MaxLineBytes), MaxLineBytes, 256);
        return errors;
    }

    private static void Positive(List<FieldError> errors, string field, TimeSpan value, string accepted)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(field, value.ToString(), $"use {accepted}"));
        }
    }

    private static void AtLeast(List<FieldError> errors, string field, int value, int min)
    {
        if (value < min)
        {
            errors.Add(new FieldError(field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"use at least {min}"));
        }
    }
}

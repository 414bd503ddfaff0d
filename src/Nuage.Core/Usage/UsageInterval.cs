namespace Nuage.Core.Usage;

/// <summary>
/// One running interval of one instance (an app's or an add-on server's), as metered: from the moment the process
/// was live to the moment it stopped. <see cref="EndedAt"/> is null while it runs; <see cref="LastSeenAt"/> is the last
/// checkpoint at which the server saw it alive (where an interval is closed when its instance vanished while the
/// server was down). Times are Unix milliseconds.
/// </summary>
public sealed record UsageInterval
{
    public long Id { get; init; }

    public required string InstanceId { get; init; }

    /// <summary><see cref="UsageSubjects.App"/> or <see cref="UsageSubjects.Addon"/>.</summary>
    public required string SubjectKind { get; init; }

    public required string SubjectId { get; init; }

    /// <summary>The app's or add-on's name when the interval opened (kept after the app is deleted: usage is history).</summary>
    public required string SubjectName { get; init; }

    public required string OrgId { get; init; }

    /// <summary>The flavor (apps) or plan (add-ons) the instance ran with.</summary>
    public required string Flavor { get; init; }

    public required long StartedAt { get; init; }

    public required long LastSeenAt { get; init; }

    public long? EndedAt { get; init; }
}

/// <summary>What a usage interval meters. Persisted: do not change the values.</summary>
public static class UsageSubjects
{
    public const string App = "app";
    public const string Addon = "addon";
}

/// <summary>Instance-seconds of one subject and flavor inside a query's range.</summary>
public sealed record UsageTotal(string OrgId, string SubjectKind, string SubjectId, string SubjectName, string Flavor, double Seconds);

/// <summary>
/// Which usage to sum: intervals are clipped to [<see cref="From"/>, <see cref="To"/>) and an open interval counts up to
/// <see cref="Now"/> (all Unix milliseconds). Null filters match everything.
/// </summary>
public sealed record UsageQuery
{
    public string? OrgId { get; init; }

    public string? SubjectKind { get; init; }

    public string? SubjectId { get; init; }

    public required long From { get; init; }

    public required long To { get; init; }

    public required long Now { get; init; }
}

using Nuage.Core.Logging;

namespace Nuage.Logs.Storage;

/// <summary>Which records a follower wants; every field optional.</summary>
public sealed record LogFilter
{
    /// <summary>Case-insensitive substring of the message.</summary>
    public string? Search { get; init; }

    public LogSource? Source { get; init; }

    public string? InstanceId { get; init; }

    public static LogFilter All { get; } = new();
}

/// <summary>A search over stored records; results come in ascending sequence order.</summary>
public sealed record LogQuery
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public DateTimeOffset? Since { get; init; }

    /// <summary>Exclusive upper bound.</summary>
    public DateTimeOffset? Until { get; init; }

    public LogFilter Filter { get; init; } = LogFilter.All;

    /// <summary>Only records with a sequence above this one (resume position).</summary>
    public long? AfterSequence { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>When true, the newest <see cref="Limit"/> matches are returned (still in ascending order), like `tail`.</summary>
    public bool Newest { get; init; }
}

/// <summary>What the store holds for one app.</summary>
public sealed record AppLogStats(string AppId, long FirstSequence, long LastSequence, long Count, long SizeBytes);

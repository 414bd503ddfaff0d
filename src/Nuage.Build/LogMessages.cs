using Microsoft.Extensions.Logging;

namespace Nuage.Build;

/// <summary>All log messages of the build library. Event ids 4000–4999, stable.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Unpacked release {ReleaseDirectory}: {Entries} entries, {ExpandedBytes} bytes")]
    public static partial void ReleaseUnpacked(this ILogger logger, string releaseDirectory, int entries, long expandedBytes);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Rejected upload for {ReleaseDirectory} ({Code}): {Reason}")]
    public static partial void UploadRejected(this ILogger logger, string releaseDirectory, string code, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Build step {Step} started in {WorkingDirectory}")]
    public static partial void StepStarted(this ILogger logger, string step, string workingDirectory);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Build step {Step} exited with code {ExitCode} after {DurationMs} ms")]
    public static partial void StepFinished(this ILogger logger, string step, int exitCode, long durationMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Build step {Step} cancelled; killed process group {ProcessGroup}")]
    public static partial void StepCancelled(this ILogger logger, string step, int processGroup);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Build step {Step} skipped: {Reason}")]
    public static partial void StepSkipped(this ILogger logger, string step, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Dependency cache {Outcome} for {Runtime} (key {Key})")]
    public static partial void CacheLookup(this ILogger logger, string outcome, string runtime, string key);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Dependency cache saved for {Runtime} (key {Key})")]
    public static partial void CacheSaved(this ILogger logger, string runtime, string key);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Dependency cache for {Runtime} could not be used: {Reason}")]
    public static partial void CacheFailed(this ILogger logger, string runtime, string reason);
}

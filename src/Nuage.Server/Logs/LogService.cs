using System.Globalization;
using System.Runtime.CompilerServices;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Logs.Storage;
using Nuage.Server.Addons;
using Nuage.Server.Apps;

namespace Nuage.Server.Logs;

/// <summary>What a logs request asks for, as received (strings are validated by <see cref="LogService"/>).</summary>
internal sealed record LogsRequest(string? Since, string? Until, string? Search, string? Source, string? Instance, long? After, int? Limit);

/// <summary>
/// Reading and following an app's log, or an add-on's (its server's own output, stored under the add-on's id by the
/// same tailer). Every method checks the caller's role itself.
/// </summary>
internal sealed class LogService(AppService apps, AddonService addons, LogStore store, TimeProvider time)
{
    public const int DefaultFollowBacklog = 100;

    public async Task<IReadOnlyList<LogLineDto>> QueryAsync(Caller caller, string appName, LogsRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading logs");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return await QueryAsync(app.Id, Parse(app.CurrentDeploymentId, request, LogQuery.DefaultLimit), cancellationToken);
    }

    /// <summary>An add-on's log: the lines its database server wrote (PostgreSQL, MariaDB, Redis), newest last.</summary>
    public async Task<IReadOnlyList<LogLineDto>> QueryAddonAsync(Caller caller, string addonName, LogsRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading add-on logs");
        var addon = await addons.FindAsync(caller, addonName, cancellationToken);
        return await QueryAsync(addon.Id, Parse(null, request, LogQuery.DefaultLimit), cancellationToken);
    }

    public async Task<(long Start, IAsyncEnumerable<LogLineDto> Lines)> FollowAddonAsync(Caller caller, string addonName, LogsRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading add-on logs");
        var addon = await addons.FindAsync(caller, addonName, cancellationToken);
        return await FollowAsync(addon.Id, Parse(null, request, DefaultFollowBacklog), cancellationToken);
    }

    private async Task<IReadOnlyList<LogLineDto>> QueryAsync(string id, LogQuery query, CancellationToken cancellationToken) =>
        [.. (await store.QueryAsync(id, query, cancellationToken)).Select(ToDto)];

    /// <summary>
    /// Validates the request and returns the follow stream: records after <c>after</c> (or after the start of
    /// <c>since</c>, or the last <c>limit</c> records when neither is given), then every new one as it is committed.
    /// <c>Start</c> is the sequence the stream starts after (a client resuming before any line arrived resumes there).
    /// </summary>
    public async Task<(long Start, IAsyncEnumerable<LogLineDto> Lines)> FollowAsync(Caller caller, string appName, LogsRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading logs");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return await FollowAsync(app.Id, Parse(app.CurrentDeploymentId, request, DefaultFollowBacklog), cancellationToken);
    }

    private async Task<(long Start, IAsyncEnumerable<LogLineDto> Lines)> FollowAsync(string id, LogQuery query, CancellationToken cancellationToken)
    {
        long after;
        if (query.AfterSequence is { } position)
        {
            after = position;
        }
        else
        {
            var first = await store.QueryAsync(id, query.Since is null ? query : query with { Limit = 1 }, cancellationToken);
            after = first.Count > 0 ? first[0].Sequence - 1 : (await store.GetStatsAsync(id, cancellationToken)).LastSequence;
        }

        return (after, Follow(id, after, query.Filter, query.Until, cancellationToken));
    }

    private async IAsyncEnumerable<LogLineDto> Follow(string appId, long after, LogFilter filter, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in store.FollowAsync(appId, after, filter, cancellationToken))
        {
            if (until is { } end && record.Record.Timestamp >= end)
            {
                yield break;
            }

            yield return ToDto(record);
        }
    }

    private LogQuery Parse(string? currentDeploymentId, LogsRequest request, int defaultLimit)
    {
        var errors = new List<FieldError>();
        var now = time.GetUtcNow();
        DateTimeOffset? since = null, until = null;
        Collect(errors, () => since = TimeSpec.Parse("since", request.Since, now));
        Collect(errors, () => until = TimeSpec.Parse("until", request.Until, now));
        LogSource? source = null;
        if (!string.IsNullOrEmpty(request.Source))
        {
            source = request.Source.ToLowerInvariant() switch
            {
                "app" => LogSource.App,
                "build" => LogSource.Build,
                "access" => LogSource.Access,
                "platform" => LogSource.Platform,
                _ => null,
            };
            if (source is null)
            {
                errors.Add(new FieldError("source", request.Source, $"\"{request.Source}\" is not a log source; use app, build, access or platform"));
            }
        }

        var limit = request.Limit ?? defaultLimit;
        if (limit is < 1 or > LogQuery.MaxLimit)
        {
            errors.Add(new FieldError("limit", limit.ToString(CultureInfo.InvariantCulture), $"use a whole number from 1 to {LogQuery.MaxLimit}"));
        }

        if (request.After is < 0)
        {
            errors.Add(new FieldError("after", request.After.Value.ToString(CultureInfo.InvariantCulture), "use a sequence number of 0 or more (the seq of the last line seen)"));
        }

        if (since is { } s && until is { } u && u <= s)
        {
            errors.Add(new FieldError("until", request.Until, "until must be later than since"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidLogsQuery, errors);
        }

        return new LogQuery
        {
            Since = since,
            Until = until,
            AfterSequence = request.After,
            Limit = limit,
            Newest = since is null && request.After is null,
            Filter = new LogFilter { Search = request.Search is { Length: > 0 } ? request.Search : null, Source = source, InstanceId = Instance(currentDeploymentId, request.Instance) },
        };
    }

    /// <summary>
    /// An instance id as given, or a short name of the current release's instance: <c>N</c> (web instance N),
    /// <c>web-N</c>, <c>worker1-N</c>, <c>task-N</c>.
    /// </summary>
    private static string? Instance(string? currentDeploymentId, string? instance)
    {
        if (string.IsNullOrEmpty(instance))
        {
            return null;
        }

        var shortName = int.TryParse(instance, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? $"web-{number}" : instance;
        var isShort = shortName.StartsWith("web-", StringComparison.Ordinal) || shortName.StartsWith("worker", StringComparison.Ordinal) || shortName.StartsWith("task-", StringComparison.Ordinal);
        return isShort && currentDeploymentId is { } current ? $"{current}-{shortName}" : instance;
    }

    private static void Collect(List<FieldError> errors, Action parse)
    {
        try
        {
            parse();
        }
        catch (NuageException e)
        {
            errors.AddRange(e.Errors);
        }
    }

    public static LogLineDto ToDto(StoredLogRecord stored) => new()
    {
        Seq = stored.Sequence,
        Time = stored.Record.Timestamp,
        Source = stored.Record.Source.ToString().ToLowerInvariant(),
        Instance = stored.Record.InstanceId,
        Deployment = stored.Record.DeploymentId,
        Stream = stored.Record.Stream,
        TraceId = stored.Record.TraceId,
        Message = stored.Record.Message,
    };
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Logs.Storage;

namespace Nuage.Server.Api;

/// <summary>
/// A full disk is the operator's problem, not a bug: 507 insufficient_storage naming the part of the data directory
/// that could not be written (never an absolute path), a warning without stack trace, the
/// <c>nuage_storage_full_total{area}</c> metric, and a platform event in the app's log (kept by the log store until
/// it has room again when the same disk holds it, see AppLog.DiskFull.cs).
/// </summary>
internal static partial class Problems
{
    public const string InsufficientStorage = ErrorCodes.InsufficientStorage;

    private static bool IsDiskFull(Exception e) => StoreFullException.IsDiskFull(e);

    private static async Task WriteDiskFullAsync(HttpContext context, Exception e)
    {
        var services = context.RequestServices;
        var area = AreaOf(context, e);
        var request = $"{context.Request.Method} {context.Request.Path}";
        services.GetService<LogStore>()?.Metrics.StorageFull(area.Label);
        if (services.GetService<ILogger<NuageApi>>() is { } logger)
        {
            LogDiskFull(logger, request, area.Label);
        }

        await RaisePlatformEventAsync(context, $"{request} refused: no space left on the disk holding {area.Description}. Nothing was changed; the request can be retried once space is freed.");
        await WriteAsync(context, StatusCodes.Status507InsufficientStorage, InsufficientStorage,
            $"The server's disk is full: {area.Description} could not be written. Nothing was changed; free space on the server's data directory, then retry.", null);
    }

    /// <summary>The API writes the state database through SQLite; files (uploads, releases, git) fail with ENOSPC and their path.</summary>
    private static DataArea AreaOf(HttpContext context, Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is Microsoft.Data.Sqlite.SqliteException)
            {
                return DataArea.StateDatabase;
            }

            if (inner is IOException && PathIn(inner.Message) is { } path && context.RequestServices.GetService<NuagePaths>() is { } paths)
            {
                return DataArea.Of(paths, path);
            }
        }

        return context.Request.Path.Value?.EndsWith("/deployments", StringComparison.Ordinal) == true ? DataArea.Uploads : DataArea.DataDirectory;
    }

    /// <summary>.NET's Unix I/O errors end with " : 'PATH'".</summary>
    private static string? PathIn(string message)
    {
        var start = message.LastIndexOf(" '", StringComparison.Ordinal);
        return start >= 0 && message.EndsWith('\'') && message.Length - start > 3 ? message[(start + 2)..^1] : null;
    }

    private static async Task RaisePlatformEventAsync(HttpContext context, string message)
    {
        if (context.Request.RouteValues.TryGetValue("app", out var value) && value is string name
            && context.RequestServices.GetService<IStateStore>() is { } store && context.RequestServices.GetService<ILogSink>() is { } sink)
        {
            try
            {
                if (await store.Apps.FindByNameAsync(name, CancellationToken.None) is { } app)
                {
                    var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
                    sink.Write(new LogRecord(time.GetUtcNow(), app.Id, LogSource.Platform, message));
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Reading the state failed too; the metric and the server log still say it.
            }
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Disk full serving {Request}: {Area} could not be written; answered 507")]
    private static partial void LogDiskFull(ILogger logger, string request, string area);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using Nuage.Server.Api;

namespace Nuage.Server.Logs;

/// <summary>/v1/apps/{app}/logs (list and SSE follow) and /v1/apps/{app}/drains.</summary>
internal static class LogsEndpoints
{
    /// <summary>A comment line sent while no record arrives, so proxies and clients see a live connection.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static void Map(RouteGroupBuilder apps)
    {
        var logs = apps.MapGroup("/{app}/logs").WithTags("Logs");
        logs.MapGet("/", (string app, HttpContext http, LogService service, string? since, string? until, string? search, string? source, string? instance, long? after, int? limit) =>
            service.QueryAsync(http.Caller(), app, new LogsRequest(since, until, search, source, instance, after, limit), http.RequestAborted));
        logs.MapGet("/stream", (string app, HttpContext http, LogService service, TimeProvider time, string? since, string? until, string? search, string? source, string? instance, long? after, int? limit) =>
            StreamAsync(http, time, ct => service.FollowAsync(http.Caller(), app, new LogsRequest(since, until, search, source, instance, after ?? LastEventId(http), limit), ct)));

        var drains = apps.MapGroup("/{app}/drains").WithTags("Drains");
        drains.MapPost("/", async (string app, CreateDrainRequest request, HttpContext http, DrainService service) =>
        {
            var drain = await service.CreateAsync(http.Caller(), app, request, http.RequestAborted);
            return TypedResults.Created($"/v1/apps/{app}/drains/{drain.Id}", drain);
        });
        drains.MapGet("/", (string app, HttpContext http, DrainService service) => service.ListAsync(http.Caller(), app, http.RequestAborted));
        drains.MapPost("/{id}/enable", (string app, string id, HttpContext http, DrainService service) =>
            service.SetEnabledAsync(http.Caller(), app, id, enabled: true, http.RequestAborted));
        drains.MapPost("/{id}/disable", (string app, string id, HttpContext http, DrainService service) =>
            service.SetEnabledAsync(http.Caller(), app, id, enabled: false, http.RequestAborted));
        drains.MapDelete("/{id}", async (string app, string id, HttpContext http, DrainService service) =>
        {
            await service.DeleteAsync(http.Caller(), app, id, http.RequestAborted);
            return TypedResults.NoContent();
        });
    }

    /// <summary>/v1/addons/{addon}/logs (list and SSE follow: the add-on server's own output lines) and /v1/addons/{addon}/drains.</summary>
    public static void MapAddons(RouteGroupBuilder v1)
    {
        var logs = v1.MapGroup("/addons/{addon}/logs").WithTags("Add-ons");
        logs.MapGet("/", (string addon, HttpContext http, LogService service, string? since, string? until, string? search, long? after, int? limit) =>
            service.QueryAddonAsync(http.Caller(), addon, new LogsRequest(since, until, search, null, null, after, limit), http.RequestAborted));
        logs.MapGet("/stream", (string addon, HttpContext http, LogService service, TimeProvider time, string? since, string? until, string? search, long? after, int? limit) =>
            StreamAsync(http, time, ct => service.FollowAddonAsync(http.Caller(), addon, new LogsRequest(since, until, search, null, null, after ?? LastEventId(http), limit), ct)));

        var drains = v1.MapGroup("/addons/{addon}/drains").WithTags("Add-ons");
        drains.MapPost("/", async (string addon, CreateDrainRequest request, HttpContext http, DrainService service) =>
        {
            var drain = await service.CreateAsync(http.Caller(), addon, request, http.RequestAborted, DrainOwner.Addon);
            return TypedResults.Created($"/v1/addons/{addon}/drains/{drain.Id}", drain);
        });
        drains.MapGet("/", (string addon, HttpContext http, DrainService service) => service.ListAsync(http.Caller(), addon, http.RequestAborted, DrainOwner.Addon));
        drains.MapDelete("/{id}", async (string addon, string id, HttpContext http, DrainService service) =>
        {
            await service.DeleteAsync(http.Caller(), addon, id, http.RequestAborted, DrainOwner.Addon);
            return TypedResults.NoContent();
        });
    }

    /// <summary>The SSE resume position a reconnecting EventSource sends.</summary>
    private static long? LastEventId(HttpContext http)
    {
        var header = http.Request.Headers["Last-Event-ID"].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        return long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw NuageException.Invalid("Last-Event-ID", header, "send the id of the last event received (a sequence number)");
    }

    /// <summary>Server-Sent Events: <c>id:</c> is the record's sequence, <c>data:</c> its JSON.</summary>
    private static async Task StreamAsync(HttpContext http, TimeProvider time, Func<CancellationToken, Task<(long Start, IAsyncEnumerable<LogLineDto> Lines)>> open)
    {
        // Streams end when the server stops, so shutdown does not wait for followers (they reconnect and resume).
        var lifetime = (Microsoft.Extensions.Hosting.IHostApplicationLifetime?)http.RequestServices.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime));
        using var streamLifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime?.ApplicationStopping ?? CancellationToken.None);
        var ct = streamLifetime.Token;
        var (start, records) = await open(ct);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.Body;
        using var writeLock = new SemaphoreSlim(1, 1);
        // An event without data sets the client's last event id: resuming before any line arrived starts here.
        await WriteAsync(Encoding.UTF8.GetBytes($": connected\nid: {start.ToString(CultureInfo.InvariantCulture)}\n\n"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var keepAlive = KeepAliveAsync(stop.Token);
        try
        {
            var buffer = new MemoryStream();
            await foreach (var line in records.WithCancellation(ct))
            {
                buffer.SetLength(0);
                buffer.Write(Encoding.UTF8.GetBytes($"id: {line.Seq.ToString(CultureInfo.InvariantCulture)}\ndata: "));
                await JsonSerializer.SerializeAsync(buffer, line, ApiJson.Options, ct);
                buffer.Write("\n\n"u8);
                await WriteAsync(buffer.ToArray());
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left or the server is stopping; either way the stream is over.
        }
        finally
        {
            await stop.CancelAsync();
            await keepAlive;
        }

        async Task WriteAsync(byte[] bytes)
        {
            await writeLock.WaitAsync(ct);
            try
            {
                await body.WriteAsync(bytes, ct);
                await body.FlushAsync(ct);
            }
            finally
            {
                writeLock.Release();
            }
        }

        async Task KeepAliveAsync(CancellationToken token)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(KeepAliveInterval, time, token);
                    await WriteAsync(": keep-alive\n\n"u8.ToArray());
                }
            }
            catch (OperationCanceledException)
            {
                // The stream ended.
            }
            catch (IOException)
            {
                // The client went away.
            }
        }
    }
}

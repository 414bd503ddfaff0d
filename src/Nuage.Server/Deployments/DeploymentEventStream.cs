using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using Nuage.Server.Api;

namespace Nuage.Server.Deployments;

/// <summary>
/// Writes a deployment's events over HTTP. Server-Sent Events are the convention for live data (as for logs):
/// <c>id:</c> is the event number and a reconnecting client sends <c>Last-Event-ID</c>. NDJSON with <c>?after=</c>
/// is still served to clients that do not ask for <c>text/event-stream</c> (the CLI of earlier releases).
/// </summary>
internal static class DeploymentEventStream
{
    public const string EventStream = "text/event-stream";
    public const string Ndjson = "application/x-ndjson";

    public static bool WantsEventStream(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains(EventStream, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Where to resume: <c>Last-Event-ID</c> (SSE) wins over <c>?after=</c> (NDJSON, and the first SSE request).</summary>
    public static long ResumeAfter(HttpRequest request, long? after)
    {
        var header = request.Headers["Last-Event-ID"].ToString();
        if (header.Length == 0)
        {
            return after is { } a ? (a >= 0 ? a : throw NuageException.Invalid("after", a.ToString(CultureInfo.InvariantCulture), "use an event number (0 or more)")) : 0;
        }

        return long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw NuageException.Invalid("Last-Event-ID", header, "send the id of the last event received (an event number)");
    }

    public static async Task WriteAsync(HttpContext http, IAsyncEnumerable<DeploymentEventDto> events)
    {
        var ct = http.RequestAborted;
        var sse = WantsEventStream(http.Request);
        await using var enumerator = events.GetAsyncEnumerator(ct);
        var more = await enumerator.MoveNextAsync(); // errors (not found, forbidden) become a problem document before any byte
        http.Response.ContentType = sse ? EventStream : Ndjson;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.StartAsync(ct);
        var buffer = new MemoryStream();
        for (; more; more = await enumerator.MoveNextAsync())
        {
            buffer.SetLength(0);
            var item = enumerator.Current;
            if (sse)
            {
                buffer.Write(Encoding.UTF8.GetBytes($"id: {item.Seq.ToString(CultureInfo.InvariantCulture)}\ndata: "));
            }

            await JsonSerializer.SerializeAsync(buffer, item, ApiJson.Options, ct);
            buffer.Write(sse ? "\n\n"u8 : "\n"u8);
            await http.Response.Body.WriteAsync(buffer.ToArray(), ct);
            await http.Response.Body.FlushAsync(ct);
        }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Nuage.Router.Flow;

/// <summary>What the cache did with one request (metric <c>nuage.router.cache.lookups</c>, tag <c>outcome</c>).</summary>
internal enum CacheOutcome
{
    /// <summary>Not cacheable (method, Authorization, a protected app's cookies): forwarded, never stored.</summary>
    Bypass,
    Hit,
    Miss,

    /// <summary>A stale entry the app confirmed with 304 to a conditional request: served from the cache.</summary>
    Revalidated,
}

internal sealed partial class ResponseCache
{
    public const string StatusHeader = "X-Cache";
    private long _hits;
    private long _misses;
    private long _revalidations;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Revalidations => Interlocked.Read(ref _revalidations);

    /// <summary>
    /// Answers from the cache, revalidates a stale entry that has validators (<c>no-cache</c> from the client forces it), or
    /// calls <paramref name="forward"/> and stores what may be stored.
    /// </summary>
    public async Task<CacheOutcome> InvokeAsync(HttpContext context, bool protectedApp, Func<Task> forward)
    {
        var request = context.Request;
        if (!IsCacheableRequest(request, protectedApp))
        {
            await forward();
            return CacheOutcome.Bypass;
        }

        var noCache = request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase);
        var entry = Find(request);
        if (entry is not null && !noCache && IsFresh(entry))
        {
            Interlocked.Increment(ref _hits);
            await ServeAsync(context, entry, "HIT");
            return CacheOutcome.Hit;
        }

        if (entry is { HasValidator: true } && HttpMethods.IsGet(request.Method))
        {
            if (await RevalidateAsync(context, entry, forward))
            {
                Interlocked.Increment(ref _revalidations);
                return CacheOutcome.Revalidated;
            }

            Interlocked.Increment(ref _misses);
            return CacheOutcome.Miss;
        }

        Interlocked.Increment(ref _misses);
        var response = context.Response;
        var original = response.Body;
        using var capture = HttpMethods.IsGet(request.Method) ? new CaptureStream(original, MaxEntryBytes) : null;
        response.OnStarting(() =>
        {
            response.Headers[StatusHeader] = "MISS";
            return Task.CompletedTask;
        });
        if (capture is not null)
        {
            response.Body = capture;
        }

        try
        {
            await forward();
        }
        finally
        {
            response.Body = original;
        }

        if (capture is { Complete: true } && Lifetime(response) is { } lifetime && !context.RequestAborted.IsCancellationRequested)
        {
            Store(request, response, capture.ToArray(), lifetime);
        }

        return CacheOutcome.Miss;
    }

    private async Task ServeAsync(HttpContext context, CachedResponse entry, string status)
    {
        var response = context.Response;
        var clientTag = context.Request.Headers.IfNoneMatch.ToString();
        var notModified = entry.ETag is not null && clientTag.Length > 0
            && (clientTag.Trim() == "*" || clientTag.Split(',', StringSplitOptions.TrimEntries).Any(t => WeakEquals(t, entry.ETag)));
        response.StatusCode = notModified ? StatusCodes.Status304NotModified : StatusCodes.Status200OK;
        foreach (var header in entry.Headers)
        {
            if (!(notModified && (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))))
            {
                response.Headers[header.Key] = header.Value;
            }
        }

        response.Headers.Age = ((long)AgeOf(entry).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        response.Headers[StatusHeader] = status;
        if (!notModified && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(entry.Body, context.RequestAborted);
        }
    }

    private static bool WeakEquals(string a, string b) => a.TrimStart('W', '/') == b.TrimStart('W', '/');

    /// <summary>Passes writes through and keeps a copy up to a limit (beyond it the copy is dropped: too large to cache).</summary>
    private sealed class CaptureStream(Stream inner, long limit) : Forwarding.WriteOnlyStream
    {
        private MemoryStream? _copy = new();

        public bool Complete => _copy is not null;

        public byte[] ToArray() => _copy?.ToArray() ?? [];

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            _copy?.Dispose();
            base.Dispose(disposing);
        }

        private void Keep(ReadOnlySpan<byte> data)
        {
            if (_copy is null)
            {
                return;
            }

            if (_copy.Length + data.Length > limit)
            {
                _copy.Dispose();
                _copy = null;
                return;
            }

            _copy.Write(data);
        }
    }
}

using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Nuage.Router.Flow;

internal sealed partial class ResponseCache
{
    /// <summary>
    /// Asks the app whether a stale entry still holds (RFC 9111 §4.3): the client's request is forwarded with the entry's
    /// validators as <c>If-None-Match</c>/<c>If-Modified-Since</c> (the client's own are put back afterwards) and the answer is
    /// held back from the client. A 304 refreshes the entry (headers updated, freshness restarted) and the entry is served;
    /// any other answer goes to the client as it came and replaces the entry when it may be stored. Returns true on a 304.
    /// </summary>
    private async Task<bool> RevalidateAsync(HttpContext context, CachedResponse stale, Func<Task> forward)
    {
        var request = context.Request;
        var response = context.Response;
        var clientTags = request.Headers.IfNoneMatch;
        var clientSince = request.Headers.IfModifiedSince;
        request.Headers.IfNoneMatch = stale.ETag is { } etag ? etag : StringValues.Empty;
        request.Headers.IfModifiedSince = stale.LastModified is { } lastModified ? lastModified : StringValues.Empty;
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        var held = new HeldResponseBody(body, MaxEntryBytes);
        context.Features.Set<IHttpResponseBodyFeature>(held);
        response.OnStarting(() =>
        {
            response.Headers.TryAdd(StatusHeader, "MISS"); // a served entry says REVALIDATED itself
            return Task.CompletedTask;
        });
        try
        {
            await forward();
            await held.Writer.FlushAsync(context.RequestAborted);
        }
        finally
        {
            context.Features.Set(body);
            request.Headers.IfNoneMatch = clientTags;
            request.Headers.IfModifiedSince = clientSince;
        }

        if (response.StatusCode == StatusCodes.Status304NotModified && !held.Spilled)
        {
            var refreshed = Refresh(stale, response.Headers);
            response.Headers.ContentLength = null;
            await ServeAsync(context, refreshed, "REVALIDATED");
            return true;
        }

        if (!held.Spilled)
        {
            if (response.StatusCode == StatusCodes.Status200OK && Lifetime(response) is { } lifetime && !context.RequestAborted.IsCancellationRequested)
            {
                Store(request, response, held.ToArray(), lifetime);
            }
        }

        await held.ReleaseAsync(context.RequestAborted);
        return false;
    }

    /// <summary>The entry updated with a 304's headers (RFC 9111 §4.3.4) and fresh again from now; it replaces the stale one.</summary>
    private CachedResponse Refresh(CachedResponse stale, IHeaderDictionary notModified)
    {
        var headers = new Dictionary<string, StringValues>(stale.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var header in notModified)
        {
            if (!IsHopByHop(header.Key) && !header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                headers[header.Key] = header.Value;
            }
        }

        IHeaderDictionary merged = new HeaderDictionary(headers);
        var refreshed = stale with
        {
            Headers = [.. headers],
            StoredAt = time.GetUtcNow(),
            Lifetime = Freshness(merged) ?? TimeSpan.Zero,
            ETag = merged.ETag.ToString() is { Length: > 0 } tag ? tag : stale.ETag,
        };
        lock (_lock)
        {
            if (_entries.TryGetValue(stale.Key, out var node) && ReferenceEquals(node.Value, stale))
            {
                node.Value = refreshed;
                _size += refreshed.Bytes - stale.Bytes;
            }
        }

        return refreshed;
    }

    /// <summary>
    /// A response body that is held in memory instead of starting the client's response, up to a limit; beyond it (a large
    /// new answer) the held bytes are sent and the rest passes through. <see cref="ReleaseAsync"/> sends what is held.
    /// </summary>
    private sealed class HeldResponseBody(IHttpResponseBodyFeature inner, long limit) : Forwarding.WriteOnlyStream, IHttpResponseBodyFeature
    {
        private MemoryStream? _held = new();
        private PipeWriter? _writer;

        /// <summary>True once the body outgrew the limit and the client's response was started.</summary>
        public bool Spilled => _held is null;

        public Stream Stream => this;

        public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

        public byte[] ToArray() => _held?.ToArray() ?? [];

        public async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            if (_held is { Length: > 0 } held)
            {
                await inner.Stream.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
            }

            _held?.Dispose();
            _held = null;
        }

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

        public Task CompleteAsync() => _writer?.FlushAsync().AsTask() ?? Task.CompletedTask;

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Spilled ? inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_held is { } held && held.Length + buffer.Length <= limit)
            {
                held.Write(buffer);
                return;
            }

            if (_held is { Length: > 0 } spilled)
            {
                inner.Stream.Write(spilled.GetBuffer().AsSpan(0, (int)spilled.Length));
            }

            _held?.Dispose();
            _held = null;
            inner.Stream.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_held is { } held && held.Length + buffer.Length <= limit)
            {
                held.Write(buffer.Span);
                return;
            }

            await ReleaseAsync(cancellationToken);
            await inner.Stream.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            _held?.Dispose();
            base.Dispose(disposing);
        }
    }
}

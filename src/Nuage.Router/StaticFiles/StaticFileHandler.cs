using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;
using Nuage.Core.FileSystem;

namespace Nuage.Router.StaticFiles;

/// <summary>
/// Answers a request from a <see cref="StaticSite"/>: index files, folder redirects, the site's <c>404.html</c>, the
/// SPA fallback, content types, <c>ETag</c>/<c>Last-Modified</c> with 304, single byte ranges with <c>If-Range</c>,
/// and precompressed <c>.br</c>/<c>.gz</c> siblings chosen by <c>Accept-Encoding</c>.
/// </summary>
internal sealed partial class StaticFileHandler
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly (string Token, string Suffix)[] Encodings = [("br", ".br"), ("gzip", ".gz")];
    private readonly FileExtensionContentTypeProvider _types = new();

    public async Task ServeAsync(HttpContext context, StaticSite site)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var path = request.Path.Value ?? "/";
        var match = site.Find(path);
        var status = StatusCodes.Status200OK;
        if (match.Kind == StaticMatchKind.RedirectToFolder)
        {
            response.StatusCode = StatusCodes.Status301MovedPermanently;
            response.Headers.Location = request.PathBase + path + "/" + request.QueryString;
            return;
        }

        if (match.Kind == StaticMatchKind.NotFound && site.Config.SpaFallback)
        {
            match = site.FindIndex(string.Empty);
        }

        if (match.Kind == StaticMatchKind.NotFound)
        {
            status = StatusCodes.Status404NotFound;
            match = site.FindNotFoundPage();
            if (match.Kind == StaticMatchKind.NotFound)
            {
                await WriteBuiltInNotFoundAsync(context);
                return;
            }
        }

        var file = match.Entry;
        var variant = status == StatusCodes.Status200OK ? PickVariant(request, site, match.RelativePath, ref file) : null;
        using (file.Handle)
        {
            if (!ReferenceEquals(file.Handle, match.Entry.Handle))
            {
                match.Entry.Handle!.Dispose();
            }

            await SendAsync(context, file, ContentType(match.RelativePath), variant, status);
        }
    }

    private async Task SendAsync(HttpContext context, BeneathEntry file, string contentType, string? encoding, int status)
    {
        var response = context.Response;
        var headers = response.Headers;
        var lastModified = new DateTimeOffset(file.LastModified.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var etag = EntityTag(file, encoding);
        headers.ContentType = contentType;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        if (status == StatusCodes.Status200OK)
        {
            headers.ETag = etag;
            headers.LastModified = HeaderUtilities.FormatDate(lastModified);
            headers.AcceptRanges = "bytes";
            if (IsNotModified(context.Request, etag, lastModified))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                headers.ContentType = default;
                headers.ContentEncoding = default;
                return;
            }
        }

        var (start, length) = (0L, file.Length);
        if (status == StatusCodes.Status200OK && RequestedRange(context.Request, etag, lastModified, file.Length) is { } range)
        {
            if (range.Start < 0)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                headers.ContentRange = "bytes */" + file.Length.ToString(CultureInfo.InvariantCulture);
                headers.ContentType = default;
                return;
            }

            (start, length) = range;
            status = StatusCodes.Status206PartialContent;
            headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + length - 1}/{file.Length}");
        }

        response.StatusCode = status;
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method) || length == 0)
        {
            return;
        }

        await CopyAsync(file, start, length, response, context.RequestAborted);
    }

    /// <summary>
    /// Reads straight into the response pipe: no intermediate stream or buffer per request. The read is synchronous on
    /// purpose: for a handle not opened for async I/O, <c>RandomAccess.ReadAsync</c> queues the very same blocking read
    /// to the thread pool, one hop per chunk for a page-cache copy of a few microseconds (nginx reads the same way).
    /// </summary>
    private static async Task CopyAsync(BeneathEntry file, long start, long length, HttpResponse response, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        var offset = start;
        var end = start + length;
        while (offset < end)
        {
            var memory = writer.GetMemory((int)Math.Min(ChunkBytes, end - offset));
            var want = (int)Math.Min(memory.Length, end - offset);
            var read = RandomAccess.Read(file.Handle!, memory.Span[..want], offset);
            if (read == 0)
            {
                break; // the file shrank: an immutable release should not, but never loop on it
            }

            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }

        if (offset < end)
        {
            response.HttpContext.Abort(); // fewer bytes than Content-Length promised: the client must not take it as complete
        }
    }

    private string ContentType(string relativePath) =>
        _types.TryGetContentType(relativePath, out var type) ? type : "application/octet-stream";

    /// <summary>A strong validator from the served file's size and modification time (and the encoding: each variant differs).</summary>
    private static string EntityTag(BeneathEntry file, string? encoding)
    {
        var seconds = file.LastModified.ToUnixTimeSeconds();
        return encoding is null
            ? string.Create(CultureInfo.InvariantCulture, $"\"{seconds:x}-{file.Length:x}\"")
            : string.Create(CultureInfo.InvariantCulture, $"\"{seconds:x}-{file.Length:x}-{encoding}\"");
    }

    /// <summary>Picks <c>.br</c> then <c>.gz</c> when the client accepts it and the sibling exists; returns the encoding served.</summary>
    private static string? PickVariant(HttpRequest request, StaticSite site, string relativePath, ref BeneathEntry file)
    {
        var accept = request.Headers.AcceptEncoding;
        if (accept.Count == 0)
        {
            return null;
        }

        request.HttpContext.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        foreach (var (token, suffix) in Encodings)
        {
            if (Accepts(accept, token) && site.FindSibling(relativePath, suffix) is { Kind: BeneathEntryKind.File } sibling)
            {
                file = sibling;
                return token;
            }
        }

        return null;
    }

    private static bool Accepts(Microsoft.Extensions.Primitives.StringValues accept, string token)
    {
        foreach (var value in accept)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                var item = value.AsSpan()[range].Trim();
                var semicolon = item.IndexOf(';');
                var name = (semicolon < 0 ? item : item[..semicolon]).Trim();
                if (name.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    var parameters = semicolon < 0 ? ReadOnlySpan<char>.Empty : item[(semicolon + 1)..].Trim();
                    return !(parameters.StartsWith("q=0", StringComparison.OrdinalIgnoreCase) && !parameters[3..].ContainsAnyExcept(".0"));
                }
            }
        }

        return false;
    }

    private static Task WriteBuiltInNotFoundAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/html; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.WriteAsync("<!doctype html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n", context.RequestAborted);
    }
}

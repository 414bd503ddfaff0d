using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Nuage.Router.StaticFiles;

internal sealed partial class StaticFileHandler
{
    /// <summary>RFC 9110 §13.1.2/§13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since.</summary>
    private static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var headers = request.Headers;
        var ifNoneMatch = headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || WeakEquals(t.Tag.Value, etag));
        }

        return headers.IfModifiedSince.Count == 1
            && HeaderUtilities.TryParseDate(headers.IfModifiedSince.ToString(), out var since)
            && lastModified <= since;
    }

    /// <summary>
    /// The one byte range to send (start, length), or null for the whole file (no Range, several ranges, a stale
    /// If-Range). A range that starts past the end gives start -1 (416).
    /// </summary>
    private static (long Start, long Length)? RequestedRange(HttpRequest request, string etag, DateTimeOffset lastModified, long fileLength)
    {
        var headers = request.Headers;
        if (headers.Range.Count != 1 || !RangeHeaderValue.TryParse(headers.Range.ToString(), out var range)
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1)
        {
            return null;
        }

        if (headers.IfRange.Count == 1)
        {
            var ifRange = headers.IfRange.ToString();
            var fresh = HeaderUtilities.TryParseDate(ifRange, out var date)
                ? date == lastModified
                : string.Equals(ifRange, etag, StringComparison.Ordinal); // strong comparison (RFC 9110 §13.1.5)
            if (!fresh)
            {
                return null;
            }
        }

        var item = range.Ranges.First();
        if (item.From is { } from)
        {
            if (from >= fileLength)
            {
                return (-1, 0);
            }

            var last = item.To is { } to ? Math.Min(to, fileLength - 1) : fileLength - 1;
            return last < from ? null : (from, last - from + 1);
        }

        if (item.To is { } suffix and > 0)
        {
            var length = Math.Min(suffix, fileLength);
            return length == 0 ? (-1, 0) : (fileLength - length, length);
        }

        return (-1, 0);
    }

    private static bool WeakEquals(string? tag, string etag) =>
        tag is not null && string.Equals(tag, etag, StringComparison.Ordinal);
}

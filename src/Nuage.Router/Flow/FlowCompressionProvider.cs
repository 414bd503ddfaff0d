using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Nuage.Router.Routing;

namespace Nuage.Router.Flow;

/// <summary>
/// ASP.NET Core response compression (brotli, gzip), per app: only for apps with compression on, only when the client
/// accepts it, only for compressible types (text, JSON, JavaScript, XML, SVG, WASM — not images, archives or already
/// encoded responses) and bodies of known length below <see cref="MinimumBytes"/> are left alone.
/// </summary>
internal sealed class FlowCompressionProvider(RouteTable table, IResponseCompressionProvider inner) : IResponseCompressionProvider
{
    public const int MinimumBytes = 1024;

    public static readonly string[] MimeTypes =
    [
        "text/plain", "text/html", "text/css", "text/javascript", "text/xml", "text/csv", "text/markdown",
        "application/javascript", "application/json", "application/xml", "application/manifest+json", "application/ld+json",
        "application/problem+json", "application/rss+xml", "application/atom+xml", "application/wasm", "image/svg+xml",
    ];

    public bool CheckRequestAcceptsCompression(HttpContext context) =>
        inner.CheckRequestAcceptsCompression(context) && table.Current.Find(context.Request.Host.Value ?? "")?.Flow?.Compression == true;

    public ICompressionProvider? GetCompressionProvider(HttpContext context) => inner.GetCompressionProvider(context);

    public bool ShouldCompressResponse(HttpContext context) =>
        context.Response.ContentLength is not < MinimumBytes && inner.ShouldCompressResponse(context);
}

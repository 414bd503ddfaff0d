using System.Net;
using System.Net.Http.Headers;

namespace Nuage.Cli.Git;

/// <summary>An HTTP request body that streams the gzip-compressed tar straight from git as it is sent (chunked, never buffered whole).</summary>
internal sealed class ArchiveContent : HttpContent
{
    private readonly ArchivePlan _plan;
    private readonly CancellationToken _cancellationToken;

    public ArchiveContent(ArchivePlan plan, CancellationToken cancellationToken)
    {
        _plan = plan;
        _cancellationToken = cancellationToken;
        Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, _cancellationToken);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellationToken);
        await SourceArchive.WriteGzipAsync(_plan, stream, linked.Token);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

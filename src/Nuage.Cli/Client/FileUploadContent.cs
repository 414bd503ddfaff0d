using System.Net;
using System.Net.Http.Headers;

namespace Nuage.Cli.Client;

/// <summary>A file sent as the request body (application/octet-stream, with its length), reporting the bytes sent so far.</summary>
internal sealed class FileUploadContent(string path, IProgress<long>? progress) : HttpContent
{
    private const int ChunkBytes = 256 * 1024;
    private readonly long _length = new FileInfo(path).Length;

    public long Length => _length;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[ChunkBytes];
        long sent = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            progress?.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    /// <summary>The headers a raw upload carries.</summary>
    public FileUploadContent WithType()
    {
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return this;
    }
}

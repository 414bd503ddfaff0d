namespace Nuage.Router.Forwarding;

/// <summary>Counts response bytes when the backend sent no Content-Length (chunked); the access log reports them.</summary>
internal sealed class CountingStream(Stream inner) : WriteOnlyStream
{
    public long Count { get; private set; }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Count += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }
}

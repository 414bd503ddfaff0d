namespace Nuage.Build.Intake;

/// <summary>
/// Read-only pass-through that replays a few already-read bytes first and fails once more than
/// <see cref="Limit"/> bytes have been read, so oversized uploads and decompression bombs stop early.
/// </summary>
internal sealed class CappedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private readonly Func<long, Exception> _onExceeded;
    private int _prefixOffset;

    public CappedReadStream(Stream inner, long limit, Func<long, Exception> onExceeded, byte[]? prefix = null)
    {
        _inner = inner;
        Limit = limit;
        _onExceeded = onExceeded;
        _prefix = prefix ?? [];
    }

    public long Limit { get; }

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = ReadPrefix(buffer);
        if (n == 0)
        {
            n = _inner.Read(buffer);
        }

        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = ReadPrefix(buffer.Span);
        if (n == 0)
        {
            n = await _inner.ReadAsync(buffer, cancellationToken);
        }

        return Count(n);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int ReadPrefix(Span<byte> buffer)
    {
        var available = _prefix.Length - _prefixOffset;
        if (available <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = Math.Min(available, buffer.Length);
        _prefix.AsSpan(_prefixOffset, n).CopyTo(buffer);
        _prefixOffset += n;
        return n;
    }

    private int Count(int n)
    {
        BytesRead += n;
        if (BytesRead > Limit)
        {
            throw _onExceeded(BytesRead);
        }

        return n;
    }
}

using System.Buffers;

namespace Nuage.Logs.Storage;

/// <summary>
/// Lines of one tailed file, kept as UTF-8 slices of the pooled read buffer they arrived in (no string per line),
/// with what they share (instance, deployment, stream, arrival time). The writer returns the buffers to the pool.
/// </summary>
internal sealed class LineBatch
{
    private readonly byte[] _buffer;
    private readonly int[] _bounds;
    private string?[]? _traceIds;

    public LineBatch(byte[] pooledBuffer, int capacity, LineOrigin origin, long ticks)
    {
        _buffer = pooledBuffer;
        _bounds = ArrayPool<int>.Shared.Rent(capacity * 2);
        Capacity = capacity;
        Origin = origin;
        Ticks = ticks;
    }

    public LineOrigin Origin { get; }

    /// <summary>Arrival time (UTC ticks) of every line in the batch.</summary>
    public long Ticks { get; }

    public int Count { get; private set; }

    /// <summary>File offset of the buffer's first byte, for a tailer's batch (counts each unstored line once on a full disk).</summary>
    public long FileOffset { get; init; }

    /// <summary>Lines that begin at or after <paramref name="offset"/> of the file.</summary>
    public int CountFrom(long offset)
    {
        var count = 0;
        for (var i = 0; i < Count; i++)
        {
            if (FileOffset + _bounds[2 * i] >= offset)
            {
                count++;
            }
        }

        return count;
    }

    public int Capacity { get; }

    public bool IsFull => Count == Capacity;

    public void Add(int start, int length, string? traceId)
    {
        _bounds[2 * Count] = start;
        _bounds[(2 * Count) + 1] = length;
        if (traceId is not null)
        {
            _traceIds ??= new string?[Capacity];
            _traceIds[Count] = traceId;
        }

        Count++;
    }

    public ReadOnlySpan<byte> Line(int index) => _buffer.AsSpan(_bounds[2 * index], _bounds[(2 * index) + 1]);

    public string? TraceId(int index) => _traceIds?[index];

    /// <summary>Drops an empty batch whose read buffer stays with the tailer.</summary>
    public void Abandon() => ArrayPool<int>.Shared.Return(_bounds);

    /// <summary>Gives the buffers back to the pool; the batch must not be read afterwards.</summary>
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<int>.Shared.Return(_bounds);
    }
}

/// <summary>Where a tailed file's lines come from, with the shared text fields encoded once as UTF-8.</summary>
internal sealed class LineOrigin(string? instanceId, string? deploymentId, string stream)
{
    public byte[]? Instance { get; } = instanceId is null ? null : System.Text.Encoding.UTF8.GetBytes(instanceId);

    public byte[]? Deployment { get; } = deploymentId is null ? null : System.Text.Encoding.UTF8.GetBytes(deploymentId);

    public byte[] Stream { get; } = System.Text.Encoding.UTF8.GetBytes(stream);
}

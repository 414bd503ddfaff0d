using System.Buffers;
using Microsoft.Extensions.Logging;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Ingestion;

/// <summary>
/// Tails one output file: reads complete lines from the saved offset, hands them to the app's writer together
/// with the offset reached (both committed in one transaction), so a crash neither loses nor repeats a line.
/// Waits for the file to appear, handles truncation (restart from 0) and keeps a partial last line for later.
/// Lines stay UTF-8 slices of the pooled read buffer, which is handed to the writer with the batch (no copy, no
/// string per line); only the unfinished tail is copied into the next buffer. With an <see cref="OutputReclaim"/> it
/// frees what is stored (FileTailer.Reclaim.cs).
/// </summary>
internal sealed partial class FileTailer
{
    private static readonly TimeSpan MinIdle = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMilliseconds(200);
    private const int ChunkBytes = 256 * 1024;
    private const int MaxBatchLines = 4096;

    private readonly AppLog _app;
    private readonly LineOrigin _origin;
    private readonly string _path;
    private readonly string _key;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxLine;
    private readonly Queue<(Task<long> Commit, long Offset)> _inFlight = new();
    private readonly OutputReclaim? _reclaim;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _buffered;
    private long _offset;
    private long _committed;
    private long _punched;

    public FileTailer(AppLog app, InstanceOutput output, string stream, string path, TimeProvider time, ILogger logger, int maxLine, OutputReclaim? reclaim = null)
    {
        _reclaim = reclaim;
        _app = app;
        _origin = new LineOrigin(output.InstanceId, output.DeploymentId, stream);
        _path = path;
        _key = $"instance:{output.InstanceId}:{stream}";
        _time = time;
        _logger = logger;
        _maxLine = maxLine;
    }

    /// <summary>Runs until <paramref name="stop"/>; then, if <paramref name="final"/> is set, reads to the end including a partial last line.</summary>
    public async Task RunAsync(CancellationToken stop, Func<bool> final, CancellationToken abort)
    {
        _offset = await _app.ResetTailerAsync(_key);
        _committed = _offset;
        var idle = MinIdle;
        FileStream? file = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                file ??= TryOpen();
                var progressed = file is not null && await PumpAsync(file, flushPartial: false, abort);
                // A failed commit surfaces here even when the file is idle, so the tailer restarts from its saved offset.
                await DequeueCompletedAsync();
                if (file is not null)
                {
                    await CompactAsync(file);
                }

                if (progressed)
                {
                    idle = MinIdle;
                    continue;
                }

                try
                {
                    await Task.Delay(idle, _time, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                idle = TimeSpan.FromTicks(Math.Min(MaxIdle.Ticks, idle.Ticks * 2));
            }

            if (final() && !abort.IsCancellationRequested)
            {
                file ??= TryOpen();
                if (file is not null)
                {
                    while (await PumpAsync(file, flushPartial: true, abort))
                    {
                    }
                }
            }

            await DrainInFlightAsync();
            if (final() && !abort.IsCancellationRequested && file is not null)
            {
                await RemoveIfIngestedAsync(file);
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }

            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    /// <summary>Opens the file without following a symlink (its name is fixed by the server, its content is the app's).</summary>
    private FileStream? TryOpen() => OutputFile.OpenRead(_path);

    /// <summary>Reads what is new; returns whether anything was consumed.</summary>
    private async Task<bool> PumpAsync(FileStream file, bool flushPartial, CancellationToken ct)
    {
        var length = file.Length;
        if (length < _offset + _buffered)
        {
            LogTruncated(_logger, _path, _offset + _buffered, length);
            _offset = 0;
            _buffered = 0;
        }

        file.Position = _offset + _buffered;
        var read = await file.ReadAsync(_buffer.AsMemory(_buffered), ct);
        _buffered += read;
        if (_buffered == 0)
        {
            return false;
        }

        var batch = new LineBatch(_buffer, MaxBatchLines, _origin, _time.GetUtcNow().UtcTicks) { FileOffset = _offset };
        var span = _buffer.AsSpan(0, _buffered);
        var consumed = 0;
        while (!batch.IsFull)
        {
            var rest = span[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (rest.Length >= _maxLine || (flushPartial && read == 0 && rest.Length > 0))
                {
                    var take = Math.Min(rest.Length, _maxLine);
                    Add(batch, consumed, rest[..take]);
                    consumed += take;
                    continue;
                }

                break;
            }

            Add(batch, consumed, rest[..Math.Min(newline, _maxLine)]);
            consumed += newline + 1;
        }

        if (consumed == 0)
        {
            batch.Abandon();
            if (_buffered == _buffer.Length)
            {
                _buffer = Swap(_buffer, 0, _buffered, _buffer.Length * 2);
            }

            return read > 0;
        }

        // The batch keeps the buffer; the unfinished tail moves to a fresh one.
        _offset += consumed;
        _buffered -= consumed;
        _buffer = Swap(null, consumed, _buffered, ChunkBytes);
        Task<long> committed;
        try
        {
            committed = await _app.EnqueueTailerBatchAsync(batch, _key, _offset, ct);
        }
        catch
        {
            batch.Release();
            throw;
        }

        _inFlight.Enqueue((committed, _offset));
        await DequeueCompletedAsync();

        return true;
    }

    /// <summary>Copies <paramref name="count"/> bytes at <paramref name="from"/> of the current buffer into a new pooled one; returns <paramref name="release"/> to the pool.</summary>
    private byte[] Swap(byte[]? release, int from, int count, int size)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(size, count));
        _buffer.AsSpan(from, count).CopyTo(next);
        if (release is not null)
        {
            ArrayPool<byte>.Shared.Return(release);
        }

        return next;
    }

    private static void Add(LineBatch batch, int start, ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        batch.Add(start, line.Length, TraceIds.Find(line));
    }

    private async Task DequeueAsync()
    {
        var (commit, offset) = _inFlight.Dequeue();
        await commit;
        _committed = offset;
    }

    private async Task DequeueCompletedAsync()
    {
        while (_inFlight.Count > 0 && _inFlight.Peek().Commit.IsCompleted)
        {
            await DequeueAsync();
        }
    }

    private async Task DrainInFlightAsync()
    {
        while (_inFlight.Count > 0)
        {
            await DequeueAsync();
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Output file {Path} was truncated (had {Offset} bytes, now {Length}); reading from the start")]
    private static partial void LogTruncated(ILogger logger, string path, long offset, long length);
}

using System.Globalization;
using System.Text.Json;
using Nuage.Core.FileSystem;
using Nuage.Core.Logging;

namespace Nuage.Router.Standalone;

/// <summary>
/// The router process's access log: records are appended to <c>current.open</c> in the spool folder, which is closed and renamed to
/// the next numbered <c>.jsonl</c> segment every <see cref="SegmentInterval"/>; the server ingests and deletes whole segments (so
/// nothing is shared between the two processes but renames). While the server is away segments pile up, up to
/// <see cref="MaxBytes"/>; past that, records are dropped, counted, and the count is spooled as soon as there is room again.
/// </summary>
public sealed class RouterSpool : ILogSink, IDisposable
{
    public const string OpenSegment = "current.open";
    public const string SegmentExtension = ".jsonl";

    public static readonly TimeSpan SegmentInterval = TimeSpan.FromMilliseconds(200);

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _lock = new();
    private readonly BeneathDirectory _folder;
    private readonly ITimer _timer;
    private FileStream _current;
    private long _sequence;
    private long _closedBytes;
    private long _dropped;
    private long _droppedTotal;

    public RouterSpool(string folder, long maxBytes, TimeProvider time)
    {
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _folder = BeneathDirectory.OpenRoot(folder) ?? throw new IOException($"{folder} vanished while it was being opened");
        MaxBytes = maxBytes;
        _sequence = Segments(_folder).Select(SequenceOf).DefaultIfEmpty(0).Max();
        if (_folder.Entry(OpenSegment) is FileInfo)
        {
            _folder.Rename(OpenSegment, _folder, SegmentName(++_sequence)); // left by a router that was killed: keep its records
        }

        _current = _folder.CreateFile(OpenSegment, OwnerOnly);
        _closedBytes = ClosedBytes();
        _timer = time.CreateTimer(_ => RotateOnTimer(), null, SegmentInterval, SegmentInterval);
    }

    /// <summary>Bound of the spool (closed segments and the open one), in bytes.</summary>
    public long MaxBytes { get; }

    /// <summary>Records dropped because the spool was full, since this router started.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>The numbered segments in <paramref name="folder"/>, oldest first.</summary>
    public static IReadOnlyList<string> Segments(BeneathDirectory folder) =>
        [.. folder.Entries().OfType<FileInfo>().Select(f => f.Name).Where(n => n.EndsWith(SegmentExtension, StringComparison.Ordinal) && SequenceOf(n) > 0).OrderBy(SequenceOf)];

    public void Write(LogRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(new SpoolLine(record, 0), RouterJson.Options);
        lock (_lock)
        {
            if (_closedBytes + _current.Length + line.Length + 1 > MaxBytes)
            {
                _dropped++;
                Interlocked.Increment(ref _droppedTotal);
                return;
            }

            if (_dropped > 0)
            {
                _current.Write(JsonSerializer.SerializeToUtf8Bytes(new SpoolLine(null, _dropped), RouterJson.Options));
                _current.WriteByte((byte)'\n');
                _dropped = 0;
            }

            _current.Write(line);
            _current.WriteByte((byte)'\n');
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Rotate();
        lock (_lock)
        {
            _current.Dispose();
            _folder.DeleteQuietly(OpenSegment);
            _folder.Dispose();
        }
    }

    /// <summary>Closes the open segment into the next numbered one (every <see cref="SegmentInterval"/>; tests call it directly).</summary>
    internal void Rotate()
    {
        lock (_lock)
        {
            if (_current.Length == 0)
            {
                _closedBytes = ClosedBytes(); // the server may have ingested segments meanwhile
                return;
            }

            _current.Flush(flushToDisk: false);
            _current.Dispose();
            try
            {
                _folder.Rename(OpenSegment, _folder, SegmentName(++_sequence));
            }
            finally
            {
                // Renamed: start a new segment. Not renamed (an I/O error): keep appending to the open one.
                _current = _folder.Entry(OpenSegment) is FileInfo ? Reopen() : _folder.CreateFile(OpenSegment, OwnerOnly);
            }

            _closedBytes = ClosedBytes();
        }
    }

    private FileStream Reopen()
    {
        var stream = _folder.OpenReadWrite(OpenSegment);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    private void RotateOnTimer()
    {
        try
        {
            Rotate();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Disk full or the folder was tampered with: records stay in the open segment and the next tick tries again.
        }
    }

    private long ClosedBytes() => _folder.Entries().OfType<FileInfo>().Where(f => f.Name.EndsWith(SegmentExtension, StringComparison.Ordinal)).Sum(f => f.Length);

    private static string SegmentName(long sequence) => sequence.ToString("D16", CultureInfo.InvariantCulture) + SegmentExtension;

    private static long SequenceOf(string name) =>
        long.TryParse(name.AsSpan(0, name.Length - SegmentExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
}

/// <summary>One spooled line: an access record, or a count of records dropped because the spool was full.</summary>
public sealed record SpoolLine(LogRecord? Record, long Dropped);

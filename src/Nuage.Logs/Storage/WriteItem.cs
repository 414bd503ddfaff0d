using Nuage.Core.Logging;

namespace Nuage.Logs.Storage;

/// <summary>One unit of work for an app's writer: records (with an optional file offset committed alongside), or a control request.</summary>
internal sealed class WriteItem
{
    public LogRecord? Record { get; init; }

    /// <summary>A tailer's lines (pooled UTF-8 buffers, released by the writer once the batch is done).</summary>
    public LineBatch? Lines { get; init; }

    /// <summary>Key of the tailed file whose offset is saved in the same transaction as the records.</summary>
    public string? OffsetKey { get; init; }

    public long Offset { get; init; }

    public bool FromSink { get; init; }

    public bool FromTailer { get; init; }

    public bool Retention { get; init; }

    /// <summary>A restarted tailer clears the failed state of its key (see AppLog: batches after a failed one are refused).</summary>
    public string? ResetKey { get; init; }

    public bool Refused { get; set; }

    /// <summary>A platform record kept by the store after a full-disk failure, to be written once space is back (not dropped).</summary>
    public bool Retained { get; set; }

    /// <summary>Checkpoint the WAL after the commit; <see cref="Durable"/> says whether everything committed so far is now on disk.</summary>
    public TaskCompletionSource<bool>? Durable { get; init; }

    /// <summary>Deletes a tailer's saved offset (its file was removed after being fully ingested).</summary>
    public string? ForgetKey { get; init; }

    /// <summary>Completed with the last sequence number once the transaction is committed.</summary>
    public TaskCompletionSource<long>? Done { get; init; }

    public int Count => Record is not null ? 1 : Lines?.Count ?? 0;
}

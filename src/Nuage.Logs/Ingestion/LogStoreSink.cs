using Nuage.Core.Logging;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Ingestion;

/// <summary>
/// The server's in-process sink (build output, access logs, platform events). Never blocks: a record goes to the
/// app's bounded queue, stamped with its arrival time; when that queue is full the record is dropped and counted.
/// </summary>
internal sealed class LogStoreSink(LogStore store) : ILogSink
{
    public void Write(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        store.Enqueue(record);
    }
}

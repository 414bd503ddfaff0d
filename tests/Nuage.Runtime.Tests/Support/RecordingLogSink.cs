using System.Collections.Concurrent;
using Nuage.Core.Logging;

namespace Nuage.Runtime.Tests.Support;

/// <summary>Keeps every platform record written by the scheduler, for assertions.</summary>
internal sealed class RecordingLogSink : ILogSink
{
    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public void Write(LogRecord record) => Records.Enqueue(record);
}

using System.Collections.Concurrent;
using Nuage.Core.Logging;

namespace Nuage.Router.Tests.Support;

/// <summary>Test-only sink: keeps records in memory (the real sink belongs to the logs team).</summary>
internal sealed class MemoryLogSink : ILogSink
{
    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public void Write(LogRecord record) => Records.Enqueue(record);
}

namespace Nuage.Core.Logging;

/// <summary>
/// Accepts records produced inside the server (build output, router access logs, platform events).
/// Implementations must not block the caller on slow storage or drains.
/// </summary>
public interface ILogSink
{
    void Write(LogRecord record);
}

namespace Nuage.Core.Logging;

/// <summary>Where a log record came from. Persisted by name: do not rename members.</summary>
public enum LogSource
{
    App,
    Build,
    Access,
    Platform,
}

namespace Nuage.Core.Instances;

/// <summary>Something that happened to an instance; carries the new state snapshot for the caller to persist.</summary>
public sealed record InstanceEvent(
    DateTimeOffset Timestamp,
    InstanceEventKind Kind,
    InstanceState State,
    string Message);

/// <summary>Kinds of instance events. Persisted by name: do not rename members.</summary>
public enum InstanceEventKind
{
    Started,
    Adopted,
    Exited,
    Crashed,
    Restarted,
    OomKilled,
    CrashLooping,
    Stopped,
    PreRunHookFailed,
}

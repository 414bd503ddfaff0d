namespace Nuage.Core.Instances;

/// <summary>When the supervisor restarts an instance whose process ended. Persisted by name: do not rename members.</summary>
public enum RestartPolicy
{
    /// <summary>Restart whatever the exit code, including 0.</summary>
    Always,

    /// <summary>Restart after a non-zero exit, a signal or an OOM kill; an exit with code 0 is final.</summary>
    OnFailure,

    /// <summary>Never restart.</summary>
    No,
}

namespace Nuage.Core.Instances;

/// <summary>What an instance is for. Persisted by name: do not rename members.</summary>
public enum InstanceKind
{
    /// <summary>Serves HTTP on <see cref="InstanceSpec.Port"/>; the router sends traffic to it.</summary>
    Web,

    /// <summary>Runs beside the web instances (CC_WORKER_COMMAND, Procfile worker:); no port.</summary>
    Worker,

    /// <summary>Runs to completion once; its exit code is recorded and it is never restarted.</summary>
    Task,
}

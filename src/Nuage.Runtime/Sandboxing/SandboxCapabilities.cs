using Nuage.Runtime.Cgroups;

namespace Nuage.Runtime.Sandboxing;

/// <summary>What this machine offers, found once when the scheduler is created.</summary>
internal sealed record SandboxCapabilities(
    string? BwrapPath,
    string? BwrapProblem,
    CgroupDriver? Cgroups,
    string? CgroupProblem,
    bool IsRoot,
    string SetprivPath,
    string SetsidPath)
{
    public bool CanSandbox => BwrapPath is not null && Cgroups is not null;

    /// <summary>One sentence naming what is missing, for the refusal error and the startup log line.</summary>
    public string Missing => string.Join(" ", new[] { BwrapProblem, CgroupProblem }.Where(p => p is not null));
}

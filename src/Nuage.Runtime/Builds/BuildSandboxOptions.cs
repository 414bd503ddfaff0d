using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Runtime.Builds;

/// <summary>
/// Limits of every build step and run-time hook (one cgroup per step), so one build cannot starve serving apps.
/// Every default lives here.
/// </summary>
public sealed class BuildSandboxOptions
{
    public const int DefaultMemoryMiB = 2048;
    public const int DefaultMilliCpu = 1000;
    public const int DefaultMaxProcesses = 512;

    /// <summary>Memory (RAM, no swap; /tmp in the sandbox counts) a step may use before the kernel kills it. Default 2048 MiB.</summary>
    public int MemoryMiB { get; set; } = DefaultMemoryMiB;

    /// <summary>CPU time per 100 ms period in thousandths of a core: 1000 = one full core (quota 100000/100000). Default 1000.</summary>
    public int MilliCpu { get; set; } = DefaultMilliCpu;

    /// <summary>Most processes and threads a step may run at once. Default 512.</summary>
    public int MaxProcesses { get; set; } = DefaultMaxProcesses;

    internal void Validate(List<FieldError> errors)
    {
        if (MemoryMiB < 16)
        {
            errors.Add(new FieldError("Builds:MemoryMiB", MemoryMiB.ToString(CultureInfo.InvariantCulture), $"must be at least 16 (MiB; default {DefaultMemoryMiB})."));
        }

        if (MilliCpu < 10)
        {
            errors.Add(new FieldError("Builds:MilliCpu", MilliCpu.ToString(CultureInfo.InvariantCulture), $"must be at least 10 (thousandths of a core; default {DefaultMilliCpu})."));
        }

        if (MaxProcesses < 8)
        {
            errors.Add(new FieldError("Builds:MaxProcesses", MaxProcesses.ToString(CultureInfo.InvariantCulture), $"must be at least 8 (default {DefaultMaxProcesses})."));
        }
    }
}

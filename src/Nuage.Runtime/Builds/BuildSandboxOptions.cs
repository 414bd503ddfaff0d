using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Runtime.Builds;

/// <summary>
/// Limits of every build step and run-time hook (one cgroup per step), so one build cannot starve serving apps.
/// Every default lives here.
/// </summary>
public sealed record BuildSandboxOptions
{
    public const int DefaultMemoryMiB = 2048;
    public const int DefaultMilliCpu = 1000;
    public const int DefaultMaxProcesses = 512;

    /// <summary>The <c>nuage server</c> flags that set these options (messages name them, docs/operations.md lists them).</summary>
    public const string MemoryFlag = "--build-memory-mib";
    public const string MilliCpuFlag = "--build-milli-cpu";
    public const string MaxProcessesFlag = "--build-max-processes";

    /// <summary>Memory (RAM, no swap; /tmp in the sandbox counts) a step may use before the kernel kills it. Default 2048 MiB.</summary>
    public int MemoryMiB { get; init; } = DefaultMemoryMiB;

    /// <summary>CPU time per 100 ms period in thousandths of a core: 1000 = one full core (quota 100000/100000). Default 1000.</summary>
    public int MilliCpu { get; init; } = DefaultMilliCpu;

    /// <summary>Most processes and threads a step may run at once. Default 512.</summary>
    public int MaxProcesses { get; init; } = DefaultMaxProcesses;

    /// <summary>One error per bad option, naming its flag, the value and the accepted range.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (MemoryMiB < 16)
        {
            errors.Add(new FieldError(MemoryFlag, MemoryMiB.ToString(CultureInfo.InvariantCulture), $"must be at least 16 (MiB; default {DefaultMemoryMiB})."));
        }

        if (MilliCpu < 10)
        {
            errors.Add(new FieldError(MilliCpuFlag, MilliCpu.ToString(CultureInfo.InvariantCulture), $"must be at least 10 (thousandths of a core; default {DefaultMilliCpu})."));
        }

        if (MaxProcesses < 8)
        {
            errors.Add(new FieldError(MaxProcessesFlag, MaxProcesses.ToString(CultureInfo.InvariantCulture), $"must be at least 8 (default {DefaultMaxProcesses})."));
        }

        return errors;
    }
}

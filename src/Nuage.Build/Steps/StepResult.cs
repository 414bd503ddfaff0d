using Nuage.Build.Planning;
using Nuage.Core.Errors;

namespace Nuage.Build.Steps;

/// <summary>One line a step printed. <see cref="Stream"/> is <c>stdout</c> or <c>stderr</c>.</summary>
public sealed record OutputLine(string Stream, string Text);

/// <summary>The outcome of one step.</summary>
/// <param name="ExitCode">The process exit code (0 on success); -1 when skipped.</param>
/// <param name="Skipped">True when the step did not run (its result came from the dependency cache).</param>
public sealed record StepResult(BuildStep Step, int ExitCode, TimeSpan Duration, bool Skipped = false)
{
    public bool Succeeded => Skipped || ExitCode == 0;

    /// <summary>Why the step failed beyond its exit code (e.g. "killed by the build memory limit (64 MiB)"), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>E.g. "step 'npm ci' (Dependencies) failed with exit code 1".</summary>
    public string Describe() => Skipped
        ? $"step '{Step.Name}' ({Step.Stage}) skipped"
        : Succeeded
            ? $"step '{Step.Name}' ({Step.Stage}) succeeded in {Duration.TotalSeconds:0.00} s"
            : Reason is null
                ? $"step '{Step.Name}' ({Step.Stage}) failed with exit code {ExitCode}"
                : $"step '{Step.Name}' ({Step.Stage}) failed with exit code {ExitCode}: {Reason}";
}

/// <summary>Whether the dependency cache was used for a build.</summary>
public enum CacheOutcome
{
    /// <summary>Caching is off or the runtime has nothing to cache.</summary>
    Disabled,
    Hit,
    Miss,

    /// <summary>The release already contains the cached folders (committed); the cache was not applied.</summary>
    Bypassed,
}

/// <summary>The outcome of a whole build.</summary>
public sealed record BuildResult
{
    public required IReadOnlyList<StepResult> Steps { get; init; }

    public required CacheOutcome Cache { get; init; }

    /// <summary>Wall time of the whole build, cache restore and save included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Time inside the runtime's own install and build commands (hooks excluded): the part Nuage does not control.</summary>
    public TimeSpan RuntimeCommandsDuration => Steps.Where(s => s.Step.IsRuntimeCommand && !s.Skipped).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>Time inside every step's command, hooks included.</summary>
    public TimeSpan CommandsDuration => Steps.Where(s => !s.Skipped).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>The failed step, or null when the build succeeded.</summary>
    public StepResult? Failure => Steps.FirstOrDefault(s => !s.Succeeded);

    public bool Succeeded => Failure is null;

    /// <summary>Throws <c>build_failed</c> (kind Failed) naming the failed step and its exit code.</summary>
    public void EnsureSuccess()
    {
        if (Failure is { } failure)
        {
            throw new Core.Errors.NuageException(Core.Errors.ErrorKind.Failed, ErrorCodes.BuildFailed, failure.Describe());
        }
    }
}

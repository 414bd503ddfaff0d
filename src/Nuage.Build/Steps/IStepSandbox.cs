using Nuage.Build.Planning;

namespace Nuage.Build.Steps;

/// <summary>
/// Turns a step into the process that runs it: plain <c>bash -c</c> (<see cref="PlainStepSandbox"/>) or an isolated,
/// limited one (the runtime's build sandbox). <see cref="StepRunner"/> starts the result in its own session, streams
/// its output, and calls <see cref="ISandboxedStep.KillAsync"/> once the process exits or the step is cancelled.
/// </summary>
public interface IStepSandbox
{
    /// <summary>Prepares one step (files, limits, ownership). The caller disposes the result after the step.</summary>
    Task<ISandboxedStep> PrepareAsync(StepLaunch launch, CancellationToken cancellationToken);
}

/// <summary>One step to run.</summary>
/// <param name="Environment">Exactly what the step's command gets (PATH and HOME included).</param>
/// <param name="WritableDirectories">Folders besides the release the step writes to (HOME scratch, tool caches).</param>
public sealed record StepLaunch(BuildStep Step, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> WritableDirectories);

/// <summary>A prepared step: the program to start and how to end everything it left behind.</summary>
public interface ISandboxedStep : IAsyncDisposable
{
    /// <summary>The program to start (the runner adds <c>setsid</c> in front when it exists).</summary>
    string FileName { get; }

    IReadOnlyList<string> Arguments { get; }

    /// <summary>The environment of the started program (the sandbox may pass the step's own one another way).</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Kills every process the step started that is still running (called after exit and on cancel).</summary>
    Task KillAsync();

    /// <summary>Why the step failed beyond its exit code (e.g. killed by the build memory limit), or null.</summary>
    string? ExplainFailure(int exitCode);
}

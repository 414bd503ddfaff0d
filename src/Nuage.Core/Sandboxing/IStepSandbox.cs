namespace Nuage.Core.Sandboxing;

/// <summary>
/// Turns a build step (or hook) into the process that runs it: plain <c>bash -c</c> (<see cref="PlainStepSandbox"/>)
/// or an isolated, limited one (the scheduler's build sandbox, <c>IInstanceScheduler.CreateBuildSandbox</c>).
/// The build's step runner starts the result in its own session, streams its output, and calls
/// <see cref="ISandboxedStep.KillAsync"/> once the process exits or the step is cancelled. It lives in Core so the
/// build library and the scheduler meet here without referencing each other.
/// </summary>
public interface IStepSandbox
{
    /// <summary>Prepares one step (files, limits, ownership). The caller disposes the result after the step.</summary>
    Task<ISandboxedStep> PrepareAsync(StepCommand command, CancellationToken cancellationToken);
}

/// <summary>One step to run.</summary>
/// <param name="Command">A shell command, run with <c>bash -c</c>.</param>
/// <param name="WorkingDirectory">Where the command starts.</param>
/// <param name="Environment">Exactly what the step's command gets (PATH and HOME included).</param>
/// <param name="WritableDirectories">Folders besides the release the step writes to (HOME scratch, tool caches).</param>
public sealed record StepCommand(string Command, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> WritableDirectories);

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

using Nuage.Build.Planning;

namespace Nuage.Build.Steps;

/// <summary>
/// Receives build progress as it happens (the orchestrator forwards it to the build log and the deploy stream).
/// Called from the build's thread pool tasks; output lines of one step arrive in order per stream.
/// </summary>
public interface IBuildObserver
{
    void StepStarted(BuildStep step)
    {
    }

    void StepOutput(BuildStep step, OutputLine line)
    {
    }

    void StepFinished(StepResult result)
    {
    }

    /// <summary>A remark of the build itself (plan notes, cache hit/miss) for the build log.</summary>
    void Message(string text)
    {
    }
}

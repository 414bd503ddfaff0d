using Nuage.Build.Planning;
using Nuage.Core.Sandboxing;

namespace Nuage.Build.Steps;

/// <summary>One step to run.</summary>
/// <param name="Environment">Exactly what the step's command gets (PATH and HOME included).</param>
/// <param name="WritableDirectories">Folders besides the release the step writes to (HOME scratch, tool caches).</param>
public sealed record StepLaunch(BuildStep Step, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> WritableDirectories)
{
    /// <summary>What a sandbox needs to know about this step (Core's view of it).</summary>
    public StepCommand ToCommand() => new(Step.Command, Step.WorkingDirectory, Environment, WritableDirectories);
}

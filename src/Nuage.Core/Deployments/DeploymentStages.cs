namespace Nuage.Core.Deployments;

/// <summary>
/// The stages of a deployment, in the order they run (docs/architecture.md lists the same chain). The names are
/// persisted in deployment records and streamed to clients: do not rename them.
/// </summary>
public static class DeploymentStages
{
    public const string Validate = "validate";
    public const string Unpack = "unpack";
    public const string Detect = "detect";
    public const string PreBuildHook = "pre-build-hook";
    public const string Dependencies = "dependencies";
    public const string Build = "build";
    public const string PostBuildHook = "post-build-hook";

    /// <summary>The Procfile's <c>release</c> command (Heroku's release phase): once per new release, before it starts.</summary>
    public const string Release = "release";
    public const string Start = "start";
    public const string Task = "task";
    public const string HealthCheck = "health-check";
    public const string Switch = "switch";
    public const string RunSucceededHook = "run-succeeded-hook";
    public const string RunFailedHook = "run-failed-hook";
    public const string Retire = "retire";

    /// <summary>Every stage name, in run order (a task app runs <see cref="Task"/> instead of health-check and switch).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Validate, Unpack, Detect, PreBuildHook, Dependencies, Build, PostBuildHook,
        Release, Start, Task, HealthCheck, Switch, RunSucceededHook, RunFailedHook, Retire,
    ];

    /// <summary>The stages that build a release (their output goes to the app's log as the <c>build</c> source).</summary>
    public static bool IsBuildStage(string? stage) => stage is Detect or PreBuildHook or Dependencies or Build or PostBuildHook;
}

namespace Nuage.Core.Variables;

public static partial class KnownVariables
{
    public static readonly VariableDefinition<string> RunCommand = new("CC_RUN_COMMAND", Shared.Command,
        "Command that starts the app, replacing the runtime's default start command.");

    public static readonly VariableDefinition<string> PreBuildHook = new("CC_PRE_BUILD_HOOK", Shared.Command,
        "Command run in the release directory before dependencies are installed; a failure fails the deployment.");

    public static readonly VariableDefinition<string> PostBuildHook = new("CC_POST_BUILD_HOOK", Shared.Command,
        "Command run after the build, before the dependency cache is saved; a failure fails the deployment.");

    public static readonly VariableDefinition<string> PreRunHook = new("CC_PRE_RUN_HOOK", Shared.Command,
        "Command run before the new instances start; a failure fails the deployment.");

    public static readonly VariableDefinition<string> RunSucceededHook = new("CC_RUN_SUCCEEDED_HOOK", Shared.Command,
        "Command run once the new release passed its health check and serves traffic.");

    public static readonly VariableDefinition<string> RunFailedHook = new("CC_RUN_FAILED_HOOK", Shared.Command,
        "Command run when the new release failed to start; the previous release keeps serving.");

    public static readonly VariableDefinition<string> HealthCheckPath = new("CC_HEALTH_CHECK_PATH",
        new TextType(maxLength: 2048, pattern: "^/[^\\s]*$", patternMeaning: "a URL path starting with / and without spaces"),
        "Path each new instance must answer with a 2xx/3xx before it receives traffic. Several paths: add _0, _1 … suffixes.")
    {
        Indexed = true,
        WhenUnset = "an instance is healthy once it accepts TCP connections on PORT",
    };

    public static readonly VariableDefinition<string> WorkerCommand = new("CC_WORKER_COMMAND", Shared.Command,
        "Command of a background worker running beside the app in each instance. Several workers: CC_WORKER_COMMAND_0, _1 …")
    {
        Indexed = true,
    };

    public static readonly VariableDefinition<WorkerRestartPolicy> WorkerRestart = new("CC_WORKER_RESTART",
        new AlternativesType<WorkerRestartPolicy>(("always", WorkerRestartPolicy.Always), ("on-failure", WorkerRestartPolicy.OnFailure), ("no", WorkerRestartPolicy.No)),
        "When a worker that exited is started again: always, only after a non-zero exit (on-failure), or never.")
    {
        Default = WorkerRestartPolicy.OnFailure,
    };

    public static readonly VariableDefinition<int> WorkerRestartDelay = new("CC_WORKER_RESTART_DELAY", new NumberType(min: 0, max: 3600),
        "Seconds to wait before restarting a worker that exited.")
    {
        Default = 1,
    };

    public static readonly VariableDefinition<bool> CacheDependencies = new("CC_CACHE_DEPENDENCIES", BooleanType.Plain,
        "Keep installed dependencies between deployments and restore them before the next build.")
    {
        Default = false,
    };

    public static readonly VariableDefinition<bool> RunAsTask = new("CC_TASK", BooleanType.Plain,
        "Run CC_RUN_COMMAND once per deployment as a task instead of a long-running web process; no health check or routing.")
    {
        Default = false,
    };

    public static readonly VariableDefinition<string> AppFolder = new("APP_FOLDER", PathType.Relative,
        "Subdirectory of the repository holding the app; build and run happen there.")
    {
        WhenUnset = "the repository root",
    };

    public static readonly VariableDefinition<bool> DisableGitSubmodules = new("CC_DISABLE_GIT_SUBMODULES", BooleanType.Disabler,
        "Do not fetch git submodules when the source is received over git.")
    {
        Default = false,
    };

    public static readonly VariableDefinition<bool> Troubleshoot = new("CC_TROUBLESHOOT", BooleanType.Plain,
        "Keep a failed deployment's release directory for inspection (its path is printed in the deployment output); without it, failed releases are removed at once.")
    {
        Default = false,
    };

    private static IEnumerable<VariableDefinition> Common() =>
    [
        RunCommand, PreBuildHook, PostBuildHook, PreRunHook, RunSucceededHook, RunFailedHook,
        HealthCheckPath, WorkerCommand, WorkerRestart, WorkerRestartDelay,
        CacheDependencies, RunAsTask, AppFolder, DisableGitSubmodules, Troubleshoot,
    ];
}

using Nuage.Build.Detection;
using Nuage.Core.Errors;

namespace Nuage.Build.Planning;

/// <summary>The mutable work area of one <see cref="BuildPlanner.Plan"/> call; collects steps and every error.</summary>
internal sealed class PlanDraft
{
    private readonly List<BuildStep> _steps = [];
    private readonly List<FieldError> _errors = [];
    private readonly List<string> _notes = [];
    private readonly HostTools _tools;
    private bool _missingTool;

    public PlanDraft(DetectedApp app, BuildSettings settings, HostTools tools)
    {
        App = app;
        Settings = settings;
        _tools = tools;
    }

    public DetectedApp App { get; }

    public BuildSettings Settings { get; }

    public StartPlan? Start { get; set; }

    public CachePlan? Cache { get; set; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public List<string> PathPrepend { get; } = [];

    public Dictionary<string, string> ToolDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>True once the runtime added an install or build step (hooks do not count).</summary>
    public bool HasBuildSteps => _steps.Any(s => s.IsRuntimeCommand);

    public string AppFile(string relative) => Path.Combine(App.AppRoot, relative);

    public bool HasFile(string relative) => File.Exists(AppFile(relative));

    public void Note(string note) => _notes.Add(note);

    public void Error(string field, string? value, string message) => _errors.Add(new FieldError(field, value, message));

    /// <summary>Records an error when <paramref name="tool"/> is not on the host; returns whether it is there.</summary>
    public bool RequireTool(string tool, string why)
    {
        if (_tools.Find(tool) is not null)
        {
            return true;
        }

        _missingTool = true;
        Error("runtime", App.Runtime, $"'{tool}' is needed to {why} but is not installed on this host; {HostTools.InstallHint(tool)}");
        return false;
    }

    public string? FindTool(string tool) => _tools.Find(tool);

    public IReadOnlyList<string> FindToolsPrefixed(string prefix) => _tools.FindPrefixed(prefix);

    public void AddStep(string name, BuildStage stage, string command, bool skipOnCacheHit = false) =>
        _steps.Add(new BuildStep(name, stage, command, App.AppRoot) { SkipOnCacheHit = skipOnCacheHit });

    public void AddHook(BuildStage stage, string name, string? command)
    {
        if (!string.IsNullOrWhiteSpace(command))
        {
            AddStep(name, stage, command);
        }
    }

    /// <summary>Run command, then Procfile <c>web</c>; null when neither is set.</summary>
    public string? DefaultStartCommand() =>
        Settings.RunCommand is { Length: > 0 } run ? run : App.Procfile?.WebCommand;

    public void StartCommand(string command, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? pathPrepend = null) =>
        Start = new StartPlan
        {
            Kind = StartKind.Command,
            Command = command,
            WorkingDirectory = App.AppRoot,
            Environment = environment ?? new Dictionary<string, string>(),
            PathPrepend = pathPrepend ?? [],
        };

    public BuildPlan Finish()
    {
        if (Start is null && _errors.Count == 0)
        {
            Error(nameof(BuildSettings.RunCommand), null, $"no way to start this {App.Runtime} app was found; set a run command or add a Procfile with a 'web:' line");
        }

        if (_errors.Count > 0)
        {
            throw NuageException.Invalid(_missingTool ? BuildPlanner.RuntimeUnavailableCode : BuildPlanner.InvalidBuildCode, _errors);
        }

        var start = Start! with
        {
            Workers = App.Procfile?.Workers ?? [],
            ReleaseCommand = App.Procfile?.ReleaseCommand,
        };
        return new BuildPlan
        {
            Runtime = App.Runtime,
            ReleaseRoot = App.ReleaseRoot,
            AppRoot = App.AppRoot,
            Steps = [.. _steps.OrderBy(s => s.Stage)],
            Start = start,
            Cache = Settings.CacheDependencies ? Cache : null,
            Environment = Environment,
            PathPrepend = PathPrepend,
            ToolDirectories = ToolDirectories,
            Notes = _notes,
        };
    }
}

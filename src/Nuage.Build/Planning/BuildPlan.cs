namespace Nuage.Build.Planning;

/// <summary>Which deployment stage a build step belongs to, in execution order.</summary>
public enum BuildStage
{
    PreBuildHook,
    Dependencies,
    Build,
    PostBuildHook,
}

/// <summary>How an instance of the release is started.</summary>
public enum StartKind
{
    /// <summary>Run <see cref="StartPlan.Command"/> with <c>bash -c</c> in <see cref="StartPlan.WorkingDirectory"/>; it must listen on <c>$PORT</c>.</summary>
    Command,

    /// <summary>No app process: serve the files under <see cref="StartPlan.StaticRoot"/> (see docs/runtimes.md).</summary>
    Static,

    /// <summary>PHP: serve <see cref="StartPlan.StaticRoot"/> (document root) with Apache httpd + PHP-FPM (<see cref="PhpServing"/>).</summary>
    Php,
}

/// <summary>One shell command of a build, run with <c>bash -c</c> in <see cref="WorkingDirectory"/>.</summary>
/// <param name="Name">Short, stable label shown in the build log, e.g. <c>npm ci</c> or <c>pre-build hook</c>.</param>
public sealed record BuildStep(string Name, BuildStage Stage, string Command, string WorkingDirectory)
{
    /// <summary>True for dependency steps whose result a dependency-cache hit restores (they are skipped then).</summary>
    public bool SkipOnCacheHit { get; init; }

    /// <summary>True for the runtime's own install/build commands (not hooks), whose time is reported apart.</summary>
    public bool IsRuntimeCommand => Stage is BuildStage.Dependencies or BuildStage.Build;
}

/// <summary>How to start the built release. Environment values may use <c>$PORT</c> etc.; they go through bash.</summary>
public sealed record StartPlan
{
    public required StartKind Kind { get; init; }

    /// <summary>Shell command for <see cref="StartKind.Command"/>; null otherwise.</summary>
    public string? Command { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>Folder to serve for <see cref="StartKind.Static"/> and <see cref="StartKind.Php"/>.</summary>
    public string? StaticRoot { get; init; }

    /// <summary>For <see cref="StartKind.Static"/>: paths that match no file answer the index (single-page apps).</summary>
    public bool SpaFallback { get; init; }

    /// <summary>The PHP-FPM and httpd that serve a <see cref="StartKind.Php"/> plan; null otherwise.</summary>
    public PhpHost? Php { get; init; }

    /// <summary>Variables the runtime adds (e.g. <c>VIRTUAL_ENV</c>); the app's own variables override them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Directories to put in front of <c>PATH</c> (e.g. the venv's <c>bin</c>).</summary>
    public IReadOnlyList<string> PathPrepend { get; init; } = [];

    /// <summary>Procfile process types other than web and release (workers), to run beside each instance.</summary>
    public IReadOnlyList<Detection.ProcessType> Workers { get; init; } = [];

    /// <summary>Procfile <c>release</c> command: run once per deployment before instances start.</summary>
    public string? ReleaseCommand { get; init; }
}

/// <summary>What the dependency cache stores for this build.</summary>
/// <param name="Key">Hash of the lockfile(s) and the settings that change what gets installed.</param>
/// <param name="Runtime">Runtime name; cache entries are named <c>&lt;runtime&gt;-&lt;key&gt;</c>.</param>
/// <param name="KeyFiles">Files (relative to the app root) that went into the key.</param>
/// <param name="ReleaseDirectories">Directories inside the app root copied to and from the cache (node_modules, .venv, vendor).</param>
/// <param name="ToolDirectories">Environment variable → sub-directory of the cache entry, used in place by the tool (GOMODCACHE, NUGET_PACKAGES…).</param>
public sealed record CachePlan(
    string Key,
    string Runtime,
    IReadOnlyList<string> KeyFiles,
    IReadOnlyList<string> ReleaseDirectories,
    IReadOnlyDictionary<string, string> ToolDirectories);

/// <summary>Everything needed to build and start a release, in order. Produced by <see cref="BuildPlanner"/>.</summary>
public sealed record BuildPlan
{
    public required string Runtime { get; init; }

    public required string ReleaseRoot { get; init; }

    public required string AppRoot { get; init; }

    public required IReadOnlyList<BuildStep> Steps { get; init; }

    public required StartPlan Start { get; init; }

    /// <summary>Null when dependency caching is off or the runtime has nothing to cache.</summary>
    public CachePlan? Cache { get; init; }

    /// <summary>Variables every build step gets (tool settings); the caller's variables override them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Directories put in front of <c>PATH</c> for every build step.</summary>
    public IReadOnlyList<string> PathPrepend { get; init; } = [];

    /// <summary>Environment variable → sub-folder name of tool caches that must exist (in the cache or a scratch dir).</summary>
    public IReadOnlyDictionary<string, string> ToolDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>Human-readable remarks for the build log (e.g. "no dependencies declared; install skipped").</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

namespace Nuage.Core.Variables;

public sealed partial class AppSettings
{
    public string? RunCommand => GetOrNull(KnownVariables.RunCommand);

    public string? PreBuildHook => GetOrNull(KnownVariables.PreBuildHook);

    public string? PostBuildHook => GetOrNull(KnownVariables.PostBuildHook);

    public string? PreRunHook => GetOrNull(KnownVariables.PreRunHook);

    public string? RunSucceededHook => GetOrNull(KnownVariables.RunSucceededHook);

    public string? RunFailedHook => GetOrNull(KnownVariables.RunFailedHook);

    /// <summary>Paths to probe, in order; empty means a TCP check on PORT.</summary>
    public IReadOnlyList<string> HealthCheckPaths => GetAll(KnownVariables.HealthCheckPath);

    /// <summary>Worker commands, bare name first then by index.</summary>
    public IReadOnlyList<string> WorkerCommands => GetAll(KnownVariables.WorkerCommand);

    public WorkerRestartPolicy WorkerRestart => Get(KnownVariables.WorkerRestart);

    public TimeSpan WorkerRestartDelay => TimeSpan.FromSeconds(Get(KnownVariables.WorkerRestartDelay));

    public bool CacheDependencies => Get(KnownVariables.CacheDependencies);

    public bool IsTask => Get(KnownVariables.RunAsTask);

    /// <summary>Normalised relative path inside the release ("." for the root).</summary>
    public string AppFolder => GetOrNull(KnownVariables.AppFolder) ?? ".";

    /// <summary>The served folder inside the app folder, normalised (no leading slash; <c>.</c> is the app folder); null when unset.</summary>
    public string? WebRoot => GetOrNull(KnownVariables.WebRoot);

    public string? BuildCommand => GetOrNull(KnownVariables.BuildCommand);

    public bool DisableGitSubmodules => Get(KnownVariables.DisableGitSubmodules);

    public bool Troubleshoot => Get(KnownVariables.Troubleshoot);

    public bool StaticSpaFallback => Get(KnownVariables.StaticSpaFallback);

    public NodeBuildTool NodeBuildTool => Get(KnownVariables.NodeBuildTool);

    public string? CustomBuildTool => GetOrNull(KnownVariables.CustomBuildTool);

    public DevDependencies NodeDevDependencies => Get(KnownVariables.NodeDevDependencies);

    /// <summary>Resolved installed version (highest match of what the user wrote), or null for the host default.</summary>
    public string? NodeVersion => GetOrNull(KnownVariables.NodeVersion);

    public string? PythonVersion => GetOrNull(KnownVariables.PythonVersion);

    public string? PythonModule => GetOrNull(KnownVariables.PythonModule);

    public string PipRequirementsFile => Get(KnownVariables.PipRequirementsFile);

    public string? PhpVersion => GetOrNull(KnownVariables.PhpVersion);

    public int ComposerVersion => Get(KnownVariables.ComposerVersion);

    public string? DotnetProject => GetOrNull(KnownVariables.DotnetProject);

    public string DotnetProfile => Get(KnownVariables.DotnetProfile);

    public string? DotnetTfm => GetOrNull(KnownVariables.DotnetTfm);

    /// <summary>Null when unset: detect from go.mod.</summary>
    public GoBuildTool? GoBuildTool => TryGet(KnownVariables.GoBuildTool, out var tool) ? tool : null;

    public string? GoPackage => GetOrNull(KnownVariables.GoPackage);
}

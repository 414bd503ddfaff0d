using Nuage.Core.Variables;

namespace Nuage.Build;

/// <summary>
/// The app's build-related deployment variables, already parsed and validated by the variable registry.
/// The server fills this from the registry (CC_APP_FOLDER, CC_PRE_BUILD_HOOK, …); this library never reads
/// variable names itself.
/// </summary>
public sealed record BuildSettings
{
    /// <summary>Sub-folder of the release that holds the app (CC_APP_FOLDER). Null means the release root.</summary>
    public string? AppFolder { get; init; }

    /// <summary>Command run before dependencies are installed (CC_PRE_BUILD_HOOK).</summary>
    public string? PreBuildHook { get; init; }

    /// <summary>Command that builds a static site (CC_BUILD_COMMAND). Null means <c>npm run build</c> when package.json has a build script.</summary>
    public string? BuildCommand { get; init; }

    /// <summary>
    /// Folder served by a static or PHP app, relative to the app folder (CC_WEBROOT, already validated: no leading
    /// slash, no <c>..</c>). Null or <c>.</c> means the app folder.
    /// </summary>
    public string? WebRoot { get; init; }

    /// <summary>Static sites: unknown paths answer the index (CC_STATIC_SPA_FALLBACK).</summary>
    public bool SpaFallback { get; init; }

    /// <summary>Command run after the build (CC_POST_BUILD_HOOK).</summary>
    public string? PostBuildHook { get; init; }

    /// <summary>Start command that overrides every runtime default (CC_RUN_COMMAND).</summary>
    public string? RunCommand { get; init; }

    /// <summary>How Node dependencies are installed (CC_NODE_BUILD_TOOL).</summary>
    public NodeBuildTool NodeBuildTool { get; init; } = NodeBuildTool.Npm;

    /// <summary>Install command when <see cref="NodeBuildTool"/> is <see cref="NodeBuildTool.Custom"/> (CC_CUSTOM_BUILD_TOOL).</summary>
    public string? CustomBuildTool { get; init; }

    /// <summary>Install Node devDependencies too (CC_NODE_DEV_DEPENDENCIES=install).</summary>
    public bool NodeDevDependencies { get; init; }

    /// <summary>Reuse installed dependencies between deployments, keyed by the lockfile (CC_CACHE_DEPENDENCIES).</summary>
    public bool CacheDependencies { get; init; }

    /// <summary>Requirements file relative to the app folder (CC_PIP_REQUIREMENTS_FILE). Null means <c>requirements.txt</c>.</summary>
    public string? PipRequirementsFile { get; init; }

    /// <summary>Module started with <c>python -m</c> when no run command or Procfile is given (CC_PYTHON_MODULE).</summary>
    public string? PythonModule { get; init; }

    /// <summary>Installed PHP version to serve with (CC_PHP_VERSION, already resolved, e.g. <c>8.2.7</c>). Null means the highest PHP-FPM installed.</summary>
    public string? PhpVersion { get; init; }

    /// <summary>Project file or name to publish (CC_DOTNET_PROJ). Null means the single *.csproj in the app folder.</summary>
    public string? DotnetProj { get; init; }

    /// <summary>Build configuration passed to <c>dotnet publish -c</c> (CC_DOTNET_PROFILE). Null means <c>Release</c>.</summary>
    public string? DotnetProfile { get; init; }

    /// <summary>Target framework to publish (CC_DOTNET_TFM).</summary>
    public string? DotnetTfm { get; init; }

    /// <summary>Package to build, relative to the app folder (CC_GO_PKG). Null means <c>.</c>.</summary>
    public string? GoPackage { get; init; }

    /// <summary>Skip git submodules when packing the upload (CC_DISABLE_GIT_SUBMODULES). Used by the CLI, not by the build.</summary>
    public bool DisableGitSubmodules { get; init; }
}


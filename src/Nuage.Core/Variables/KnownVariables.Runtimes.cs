namespace Nuage.Core.Variables;

public static partial class KnownVariables
{
    public static readonly VariableDefinition<NodeBuildTool> NodeBuildTool = new("CC_NODE_BUILD_TOOL",
        new AlternativesType<NodeBuildTool>(
            ("npm", Variables.NodeBuildTool.Npm), ("npm-ci", Variables.NodeBuildTool.NpmCi), ("yarn", Variables.NodeBuildTool.Yarn),
            ("yarn2", Variables.NodeBuildTool.Yarn2), ("custom", Variables.NodeBuildTool.Custom)),
        "Tool that installs dependencies and builds a Node.js app; custom runs CC_CUSTOM_BUILD_TOOL.")
    {
        Runtimes = Shared.Node,
        Default = Variables.NodeBuildTool.Npm,
    };

    public static readonly VariableDefinition<string> CustomBuildTool = new("CC_CUSTOM_BUILD_TOOL", Shared.Command,
        "Build command used when CC_NODE_BUILD_TOOL is custom (required then).")
    {
        Runtimes = Shared.Node,
    };

    public static readonly VariableDefinition<DevDependencies> NodeDevDependencies = new("CC_NODE_DEV_DEPENDENCIES",
        new AlternativesType<DevDependencies>(("install", DevDependencies.Install), ("ignore", DevDependencies.Ignore)),
        "Whether devDependencies are installed too.")
    {
        Runtimes = Shared.Node,
        Default = DevDependencies.Ignore,
    };

    public static readonly VariableDefinition<string> NodeVersion = new("CC_NODE_VERSION", new VersionType(HostTools.Node),
        "Node.js version to build and run with, among those installed on the host.")
    {
        Runtimes = Shared.Node,
        WhenUnset = "the host's default node",
    };

    public static readonly VariableDefinition<string> PythonVersion = new("CC_PYTHON_VERSION", new VersionType(HostTools.Python),
        "Python version to build and run with, among those installed on the host.")
    {
        Runtimes = Shared.Python,
        WhenUnset = "the host's default python3",
    };

    public static readonly VariableDefinition<string> PythonModule = new("CC_PYTHON_MODULE",
        new TextType(maxLength: 256, pattern: "^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*$", patternMeaning: "module:object, e.g. app.server:app"),
        "WSGI/ASGI entry point of a Python web app as module:object.")
    {
        Runtimes = Shared.Python,
    };

    public static readonly VariableDefinition<string> PipRequirementsFile = new("CC_PIP_REQUIREMENTS_FILE", PathType.Relative,
        "Requirements file installed with pip, relative to the app folder.")
    {
        Runtimes = Shared.Python,
        Default = "requirements.txt",
    };

    public static readonly VariableDefinition<string> PhpVersion = new("CC_PHP_VERSION", new VersionType(HostTools.Php),
        "PHP version to build and run with, among those installed on the host (its php-fpm must be installed too, e.g. php8.2-fpm).")
    {
        Runtimes = Shared.Php,
        WhenUnset = "the highest PHP-FPM installed on the host",
    };

    public static readonly VariableDefinition<int> ComposerVersion = new("CC_COMPOSER_VERSION",
        new AlternativesType<int>(("1", 1), ("2", 2)),
        "Major version of Composer used to install PHP dependencies.")
    {
        Runtimes = Shared.Php,
        Default = 2,

        // The build uses the composer it finds (a committed composer.phar wins); choosing a major version is not built yet.
        Status = VariableStatus.RecognisedUnsupported,
    };

    public static readonly VariableDefinition<string> DotnetProject = new("CC_DOTNET_PROJ",
        new TextType(maxLength: 256, pattern: "^[^/\\\\]+$", patternMeaning: "a project name without directory or extension"),
        "Project to build and run, without its .csproj/.fsproj/.vbproj extension.")
    {
        Runtimes = Shared.Dotnet,
        WhenUnset = "the only project file at the app folder's root",
    };

    public static readonly VariableDefinition<string> DotnetProfile = new("CC_DOTNET_PROFILE",
        new TextType(maxLength: 64, pattern: "^[A-Za-z0-9_.-]+$", patternMeaning: "a build configuration name such as Release"),
        "Build configuration passed to dotnet publish.")
    {
        Runtimes = Shared.Dotnet,
        Default = "Release",
    };

    public static readonly VariableDefinition<string> DotnetTfm = new("CC_DOTNET_TFM",
        new TextType(maxLength: 64, pattern: "^net[0-9][0-9.]*(-[a-z0-9.]+)?$", patternMeaning: "a target framework moniker such as net10.0"),
        "Target framework to publish, when the project targets several.")
    {
        Runtimes = Shared.Dotnet,
    };

    public static readonly VariableDefinition<GoBuildTool> GoBuildTool = new("CC_GO_BUILD_TOOL",
        new AlternativesType<GoBuildTool>(("gomod", Variables.GoBuildTool.GoMod), ("gobuild", Variables.GoBuildTool.GoBuild)),
        "How a Go app is built: gomod (module mode) or gobuild.")
    {
        Runtimes = Shared.Go,
        WhenUnset = "gomod when go.mod exists, gobuild otherwise",

        // The build always runs `go build` in module mode from go.mod; gobuild mode is not built yet.
        Status = VariableStatus.RecognisedUnsupported,
    };

    public static readonly VariableDefinition<string> GoPackage = new("CC_GO_PKG",
        new TextType(maxLength: 512, pattern: "^[^\\s]+$", patternMeaning: "a Go package path or file without spaces"),
        "Package or file holding the main function that is built.")
    {
        Runtimes = Shared.Go,
        WhenUnset = "the module root package",
    };

    public static readonly VariableDefinition<string> WebRoot = new("CC_WEBROOT", PathType.WebRoot,
        "Folder served as the site's root (static) or Apache's document root (PHP), inside the app folder, e.g. /public or dist.")
    {
        Runtimes = Shared.StaticAndPhp,
        WhenUnset = "the app folder",
    };

    public static readonly VariableDefinition<string> BuildCommand = new("CC_BUILD_COMMAND", Shared.Command,
        "Command that builds a static site (e.g. 'hugo --minify' or 'npm run build'), run in the build stage; serve its output with CC_WEBROOT.")
    {
        Runtimes = Shared.Static,
        WhenUnset = "npm run build when package.json has a build script, else no build",
    };

    public static readonly VariableDefinition<bool> StaticSpaFallback = new("CC_STATIC_SPA_FALLBACK", BooleanType.Plain,
        "Single-page app: a path that matches no file answers the site's index.html with 200 instead of 404 (client-side routing).")
    {
        Runtimes = Shared.Static,
        Default = false,
    };

    private static IEnumerable<VariableDefinition> RuntimeSpecific() =>
    [
        WebRoot, BuildCommand, StaticSpaFallback,
        NodeBuildTool, CustomBuildTool, NodeDevDependencies, NodeVersion,
        PhpVersion, ComposerVersion,
        PythonVersion, PythonModule, PipRequirementsFile,
        DotnetProject, DotnetProfile, DotnetTfm,
        GoBuildTool, GoPackage,
    ];
}

using System.Globalization;
using Nuage.Core.Apps;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;

namespace Nuage.Server.Releases;

/// <summary>Which of an app's processes an environment is for.</summary>
internal enum AppProcessKind
{
    /// <summary>The build (and its pre/post-build hooks): INSTANCE_TYPE=build, HOME is the build's scratch folder.</summary>
    Build,

    /// <summary>A run-time hook (run-succeeded, run-failed) against the started release.</summary>
    Hook,

    /// <summary>A web instance, worker or task (and its pre-run hook).</summary>
    Instance,
}

/// <summary>One process of an app: what the platform tells it about itself.</summary>
/// <param name="AppHome">The folder it starts in (the release, or APP_FOLDER inside it): APP_HOME.</param>
/// <param name="Port">Web instances only: the port they must listen on (PORT).</param>
internal sealed record AppProcess(
    AppProcessKind Kind,
    AppConfig App,
    DeploymentRecord Deployment,
    string InstanceId,
    int InstanceNumber,
    string AppHome,
    string ReverseProxyIps,
    int? Port = null)
{
    /// <summary>The runtime's variables and PATH folders (instances and hooks; a build gets them from its plan).</summary>
    public IReadOnlyDictionary<string, string> PlanEnvironment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> PathPrepend { get; init; } = [];
}

/// <summary>
/// The environment of every process of an app (build, hooks, instances), assembled here and nowhere else, so each gets
/// the same platform variables (docs/variables.md, "Set by the platform"). Layers, each overriding the one before:
/// PATH/HOME/LANG, the runtime's variables, the app's variables, then the platform's variables, which users cannot
/// override. Documented differences: PORT only for web instances; INSTANCE_TYPE is build for the build and
/// production otherwise; the build's HOME is its scratch folder (set by the build runner), the others' the app's data
/// folder; the build and hooks always get the platform PATH, an instance's PATH may be replaced by the app's own.
/// </summary>
internal static class PlatformEnvironment
{
    public const string BuildInstanceType = "build";
    public const string ProductionInstanceType = "production";

    public static Dictionary<string, string> For(AppProcess process, NuagePaths paths, IReadOnlyDictionary<string, string> appVariables)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(appVariables);
        var path = string.Join(':', process.PathPrepend.Append(SystemPath.Value));
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = path, ["LANG"] = "C.UTF-8" };
        if (process.Kind != AppProcessKind.Build)
        {
            env["HOME"] = paths.Data(process.App.Id);
        }

        foreach (var (name, value) in process.PlanEnvironment)
        {
            env[name] = value;
        }

        foreach (var (name, value) in appVariables)
        {
            env[name] = value;
        }

        if (process.Kind != AppProcessKind.Instance)
        {
            // The build and hooks run the platform's tools: the app's PATH (and a hook's HOME) do not apply to them.
            env["PATH"] = path;
            if (process.Kind == AppProcessKind.Hook)
            {
                env["HOME"] = paths.Data(process.App.Id);
            }
        }

        // Platform variables last: users cannot override them.
        if (process.Port is { } port)
        {
            env[KnownVariables.Port.Name] = port.ToString(CultureInfo.InvariantCulture);
        }

        env[KnownVariables.InstanceNumber.Name] = process.InstanceNumber.ToString(CultureInfo.InvariantCulture);
        env[KnownVariables.InstanceId.Name] = process.InstanceId;
        env[KnownVariables.InstanceType.Name] = process.Kind == AppProcessKind.Build ? BuildInstanceType : ProductionInstanceType;
        env[KnownVariables.AppId.Name] = process.App.Id;
        env[KnownVariables.AppHome.Name] = process.AppHome;
        env[KnownVariables.DeploymentId.Name] = process.Deployment.Id;
        env[KnownVariables.CommitId.Name] = process.Deployment.CommitId ?? string.Empty;
        env[KnownVariables.AppName.Name] = process.App.Name;
        env[KnownVariables.ReverseProxyIps.Name] = process.ReverseProxyIps;
        return env;
    }
}

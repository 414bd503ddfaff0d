using System.Security.Cryptography;
using System.Text;
using Nuage.Build.Detection;
using Nuage.Core.Apps;
using Nuage.Core.Errors;

namespace Nuage.Build.Planning;

/// <summary>
/// Turns a detected app and its settings into ordered build steps and a start plan. Validates everything up front
/// and throws once with every problem: <c>runtime_unavailable</c> when a host tool is missing (naming how to
/// install it), otherwise <c>invalid_build</c>.
/// </summary>
public sealed partial class BuildPlanner
{
    public const string RuntimeUnavailableCode = ErrorCodes.RuntimeUnavailable;
    public const string InvalidBuildCode = ErrorCodes.InvalidBuild;

    /// <summary>Where build outputs that are not the app's own files go, relative to the app root.</summary>
    public const string OutputFolder = ".nuage";

    private readonly HostTools _tools;

    public BuildPlanner(HostTools tools)
    {
        _tools = tools;
    }

    public BuildPlan Plan(DetectedApp app, BuildSettings settings)
    {
        var draft = new PlanDraft(app, settings, _tools);
        draft.AddHook(BuildStage.PreBuildHook, "pre-build hook", settings.PreBuildHook);
        switch (app.Runtime)
        {
            case Runtimes.Static:
                PlanStatic(draft);
                break;
            case Runtimes.Node:
                PlanNode(draft);
                break;
            case Runtimes.Python:
                PlanPython(draft);
                break;
            case Runtimes.Php:
                PlanPhp(draft);
                break;
            case Runtimes.Dotnet:
                PlanDotnet(draft);
                break;
            case Runtimes.Go:
                PlanGo(draft);
                break;
            case Runtimes.Procfile:
                PlanProcfile(draft);
                break;
            default:
                draft.Error("runtime", app.Runtime, $"unknown runtime; accepted: {string.Join(", ", Runtimes.All)}");
                break;
        }

        draft.AddHook(BuildStage.PostBuildHook, "post-build hook", settings.PostBuildHook);
        return draft.Finish();
    }

    private static void PlanProcfile(PlanDraft draft)
    {
        var command = draft.DefaultStartCommand();
        if (command is null)
        {
            draft.Error(nameof(BuildSettings.RunCommand), null, "a procfile app needs a Procfile with a 'web:' line or a run command");
            return;
        }

        draft.StartCommand(command);
    }

    /// <summary>Cache key: runtime, settings fingerprint and each key file's name and content.</summary>
    internal static string CacheKey(string appRoot, string runtime, string fingerprint, IEnumerable<string> keyFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{runtime}\n{fingerprint}\n"));
        foreach (var file in keyFiles)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\0"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(appRoot, file)));
            hash.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }
}

using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Sandboxing;
using Nuage.Runtime.Builds;

namespace Nuage.Runtime.Scheduling;

/// <summary>Builds and hooks run in the same sandbox as instances, with build limits.</summary>
public sealed partial class LocalScheduler
{
    /// <summary>
    /// The sandbox for one build (or run-time hook) of an app, to put in <c>BuildContext.Sandbox</c> or pass to
    /// <c>StepRunner.RunAsync</c>. In --insecure-no-sandbox mode returns <see cref="PlainStepSandbox"/> (plain bash
    /// as the server's user) and logs it. Throws <c>sandbox_unavailable</c> when the sandbox is required but missing,
    /// and <c>invalid_build_sandbox</c> when a uid is required (<see cref="RequiresUid"/>) and missing.
    /// </summary>
    public IStepSandbox CreateBuildSandbox(BuildSandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!_launcher.Sandboxed)
        {
            LogBuildUnsandboxed(spec.AppId, spec.Name);
            return PlainStepSandbox.Instance;
        }

        EnsureSandbox();
        if (RequiresUid && spec.Uid is null)
        {
            throw Core.Errors.NuageException.Invalid(
                ErrorCodes.InvalidBuildSandbox,
                [new Core.Errors.FieldError("Uid", string.Empty, "is required when the server runs as root (AppUserIds.ForIndex of the app's index).")]);
        }

        return new BuildSandbox(spec with { Uid = RequiresUid ? spec.Uid : null }, _options.Builds, _capabilities, [.. _options.ExtraReadOnlyPaths], _options.RunDirectory);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Build {Name} of app {AppId} runs WITHOUT a sandbox or limits (--insecure-no-sandbox)")]
    private partial void LogBuildUnsandboxed(string appId, string name);
}

using Microsoft.Extensions.Logging;
using Nuage.Build.Caching;
using Nuage.Build.Planning;
using Nuage.Core.Sandboxing;

namespace Nuage.Build.Steps;

/// <summary>What the caller supplies to run a build.</summary>
public sealed record BuildContext
{
    /// <summary>
    /// The build's variables: the app's variables plus INSTANCE_TYPE=build, APP_ID, CC_DEPLOYMENT_ID… Steps get these
    /// and nothing else from the server's environment, except <c>PATH</c> (host PATH when absent, with the plan's
    /// folders in front), <c>HOME</c> (a scratch folder when absent) and <c>LANG</c> (C.UTF-8 when absent).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The app's cache folder (<c>NuagePaths.Cache(appId)</c>). Null disables the dependency cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Where the steps run: null for plain <c>bash -c</c> as the server's user; the runtime's build sandbox otherwise.</summary>
    public IStepSandbox? Sandbox { get; init; }
}

/// <summary>
/// Runs a <see cref="BuildPlan"/>'s steps in order: restores the dependency cache, runs each step (skipping the
/// install steps on a cache hit), stops at the first failing step, saves the cache after a successful build.
/// </summary>
public sealed class BuildRunner
{
    private static readonly IBuildObserver Silent = new NullObserver();
    private readonly StepRunner _steps;
    private readonly DependencyCache _cache;
    private readonly HostTools _tools;
    private readonly TimeProvider _time;
    private readonly ILogger<BuildRunner> _logger;

    public BuildRunner(StepRunner steps, DependencyCache cache, HostTools tools, TimeProvider time, ILogger<BuildRunner> logger)
    {
        _steps = steps;
        _cache = cache;
        _tools = tools;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Builds the release. A failing step ends the build with <see cref="BuildResult.Failure"/> set (no exception);
    /// cancellation kills the running step and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<BuildResult> RunAsync(BuildPlan plan, BuildContext context, IBuildObserver? observer, CancellationToken cancellationToken)
    {
        observer ??= Silent;
        var began = _time.GetTimestamp();
        var scratch = Path.Combine(Path.GetTempPath(), $"nuage-build-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            foreach (var note in plan.Notes)
            {
                observer.Message(note);
            }

            var cachePlan = context.CacheDirectory is null ? null : plan.Cache;
            var outcome = CacheOutcome.Disabled;
            if (cachePlan is not null)
            {
                Directory.CreateDirectory(context.CacheDirectory!);
                outcome = await _cache.RestoreAsync(cachePlan, plan.AppRoot, context.CacheDirectory!, cancellationToken);
                observer.Message($"dependency cache {outcome.ToString().ToLowerInvariant()} ({cachePlan.Runtime}, key {cachePlan.Key})");
            }

            // The steps write to scratch and the cache's tool folders only: the cached release folders and markers
            // stay the platform's (docs/sandbox.md, "Files the server touches as root").
            var writable = new List<string> { scratch };
            var environment = ComposeEnvironment(plan, context, cachePlan, scratch, writable);
            var results = new List<StepResult>();
            foreach (var step in plan.Steps)
            {
                if (outcome == CacheOutcome.Hit && step.SkipOnCacheHit)
                {
                    _logger.StepSkipped(step.Name, "dependency cache hit");
                    var skipped = new StepResult(step, -1, TimeSpan.Zero, Skipped: true);
                    results.Add(skipped);
                    observer.StepFinished(skipped);
                    continue;
                }

                observer.StepStarted(step);
                var launch = new StepLaunch(step, environment, writable);
                var result = await _steps.RunAsync(launch, context.Sandbox, line => observer.StepOutput(step, line), cancellationToken);
                results.Add(result);
                observer.StepFinished(result);
                if (!result.Succeeded)
                {
                    return new BuildResult { Steps = results, Cache = outcome, Duration = _time.GetElapsedTime(began) };
                }
            }

            if (WebRootCheck.Problem(plan) is { } problem)
            {
                // Reported as a step of the last stage that ran (the build makes the folder), so it reads in place.
                var check = new BuildStep(WebRootCheck.StepName, plan.Steps.Count > 0 ? plan.Steps[^1].Stage : BuildStage.Build, WebRootCheck.StepName, plan.AppRoot);
                observer.StepStarted(check);
                var failed = new StepResult(check, 1, TimeSpan.Zero) { Reason = problem };
                results.Add(failed);
                observer.StepFinished(failed);
                return new BuildResult { Steps = results, Cache = outcome, Duration = _time.GetElapsedTime(began) };
            }

            if (cachePlan is not null && outcome is CacheOutcome.Miss or CacheOutcome.Hit)
            {
                try
                {
                    await _cache.SaveAsync(cachePlan, plan.AppRoot, context.CacheDirectory!, outcome, cancellationToken);
                }
                catch (IOException e)
                {
                    // The build itself succeeded; a cache that cannot be written only costs the next build time.
                    _logger.CacheFailed(cachePlan.Runtime, e.Message);
                    observer.Message($"dependency cache not saved: {e.Message}");
                }
            }

            return new BuildResult { Steps = results, Cache = outcome, Duration = _time.GetElapsedTime(began) };
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private Dictionary<string, string> ComposeEnvironment(BuildPlan plan, BuildContext context, CachePlan? cachePlan, string scratch, List<string> writable)
    {
        var environment = new Dictionary<string, string>(plan.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in context.Environment)
        {
            environment[name] = value;
        }

        var basePath = context.Environment.TryGetValue("PATH", out var path) ? path : _tools.SearchPath;
        environment["PATH"] = string.Join(':', plan.PathPrepend.Append(basePath));
        environment.TryAdd("HOME", scratch);
        environment.TryAdd("LANG", "C.UTF-8");
        foreach (var (variable, folder) in plan.ToolDirectories)
        {
            string directory;
            if (cachePlan is not null && cachePlan.ToolDirectories.ContainsKey(variable))
            {
                directory = DependencyCache.ToolDirectory(cachePlan, context.CacheDirectory!, folder);
                writable.Add(directory);
            }
            else
            {
                directory = Path.Combine(scratch, folder);
                Directory.CreateDirectory(directory);
            }

            environment[variable] = directory;
        }

        return environment;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Scratch space under /tmp; the OS cleans it eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private sealed class NullObserver : IBuildObserver;
}

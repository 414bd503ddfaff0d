using System.Globalization;
using System.Text.RegularExpressions;
using Nuage.Core.Apps;
using Nuage.Core.Sandboxing;
using Nuage.Runtime.Processes;
using Nuage.Runtime.Sandboxing;

namespace Nuage.Runtime.Builds;

/// <summary>
/// Runs an app's build steps and hooks like its instances: in bubblewrap (system read-only, the release and the
/// given folders read-write, everything else of the host absent), as the app's uid when the server is root, in a
/// cgroup of its own per step with <see cref="BuildSandboxOptions"/> limits, killed as a whole when the step ends.
/// Folders become the app's (chown -R) the first time a step of this build writes to them.
/// </summary>
internal sealed partial class BuildSandbox : IStepSandbox
{
    private const string SystemPath = Core.Paths.SystemPath.Value;

    /// <summary>Joins the step's cgroup, then replaces itself with bubblewrap reading its options from fd 3 (the named pipe).</summary>
    private const string Wrapper = """
        args=$1; procs=$2; shift 2
        for f in $procs; do echo $$ > "$f" || exit 125; done
        exec "$@" 3<"$args"
        """;


    private readonly BuildSandboxSpec _spec;
    private readonly BuildSandboxOptions _options;
    private readonly SandboxCapabilities _capabilities;
    private readonly IReadOnlyList<string> _extraReadOnlyPaths;
    private readonly string _runDirectory;
    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ownership = new(1, 1);
    private int _steps;

    public BuildSandbox(BuildSandboxSpec spec, BuildSandboxOptions options, SandboxCapabilities capabilities, IReadOnlyList<string> extraReadOnlyPaths, string runDirectory)
    {
        _spec = spec;
        _options = options;
        _capabilities = capabilities;
        _extraReadOnlyPaths = extraReadOnlyPaths;
        _runDirectory = runDirectory;
    }

    public async Task<ISandboxedStep> PrepareAsync(StepCommand launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var writable = new List<string>();
        if (_spec.ReleaseWritable)
        {
            writable.Add(_spec.ReleaseDirectory);
        }

        foreach (var dir in _spec.WritableDirectories.Concat(launch.WritableDirectories))
        {
            Directory.CreateDirectory(dir);
            if (!writable.Contains(dir, StringComparer.Ordinal))
            {
                writable.Add(dir);
            }
        }

        if (_spec.Uid is { } uid)
        {
            await TakeOwnershipAsync(writable, uid, cancellationToken).ConfigureAwait(false);
        }

        var number = Interlocked.Increment(ref _steps);
        var group = $"build-{Safe().Replace(_spec.Name, "-")}-{number.ToString(CultureInfo.InvariantCulture)}";
        var cgroups = _capabilities.Cgroups;
        var procs = cgroups?.Prepare(_spec.AppId, group, new Flavor("build", _options.MemoryMiB, _options.MilliCpu, _options.MaxProcesses)) ?? [];
        var mounts = new SandboxArguments.Mounts(
            _spec.ReleaseWritable ? [] : [_spec.ReleaseDirectory], writable, launch.WorkingDirectory);
        // The options (the build's variables among them) go through a named pipe, never into a file.
        var pipe = ArgumentsPipe.Serve(
            Path.Combine(_runDirectory, $"{_spec.AppId}.{group}.bwrap-pipe"),
            SandboxArguments.Serialize(SandboxArguments.Build(mounts, launch.Environment, _extraReadOnlyPaths, _spec.Uid)));

        List<string> arguments = ["-c", Wrapper, "nuage-build", pipe.Path, string.Join(' ', procs), _capabilities.BwrapPath!, "--args", "3"];
        arguments.AddRange(SandboxArguments.CommandPrefix(_capabilities.SetprivPath, _spec.Uid));
        arguments.Add(launch.Command);
        return new Step(this, group, pipe, arguments);
    }

    private async Task TakeOwnershipAsync(IReadOnlyList<string> directories, int uid, CancellationToken cancellationToken)
    {
        await _ownership.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var dir in directories)
            {
                if (_owned.Add(dir))
                {
                    await AppFilePermissions.GiveToAppAsync(dir, uid, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _ownership.Release();
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Safe();

    private sealed class Step(BuildSandbox sandbox, string group, ArgumentsPipe pipe, IReadOnlyList<string> arguments) : ISandboxedStep
    {
        private static readonly Dictionary<string, string> OuterEnvironment = new(StringComparer.Ordinal) { ["PATH"] = SystemPath };

        public string FileName => "/bin/bash";

        public IReadOnlyList<string> Arguments => arguments;

        public IReadOnlyDictionary<string, string> Environment => OuterEnvironment;

        public async Task KillAsync()
        {
            if (sandbox._capabilities.Cgroups is not { } cgroups)
            {
                return;
            }

            // Bounded: a fork bomb is capped by pids.max, and each round kills everything that exists.
            for (var round = 0; round < 100; round++)
            {
                var pids = cgroups.ReadPids(sandbox._spec.AppId, group);
                if (pids.Count == 0)
                {
                    return;
                }

                foreach (var pid in pids)
                {
                    Signals.Send(pid, Signals.SigKill);
                }

                await Task.Delay(20).ConfigureAwait(false);
            }
        }

        public string? ExplainFailure(int exitCode) =>
            (sandbox._capabilities.Cgroups?.ReadOomKills(sandbox._spec.AppId, group) ?? 0) > 0
                ? $"killed by the build memory limit ({sandbox._options.MemoryMiB.ToString(CultureInfo.InvariantCulture)} MiB; raise it with nuage server {BuildSandboxOptions.MemoryFlag})"
                : exitCode == 125 ? "the build sandbox could not start (cgroup)" : null;

        public async ValueTask DisposeAsync()
        {
            sandbox._capabilities.Cgroups?.Remove(sandbox._spec.AppId, group);
            await pipe.DisposeAsync().ConfigureAwait(false);
        }
    }
}

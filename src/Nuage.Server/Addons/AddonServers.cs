using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Apps;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Core.Scheduling;
using Nuage.Core.Logging;
using Nuage.Core.State;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;
using Nuage.Runtime.Sandboxing;
using Nuage.Server.Security;

namespace Nuage.Server.Addons;

/// <summary>
/// The running side of add-ons: each add-on's database server is one supervised instance of the scheduler, exactly like
/// an app's (restart with back-off, cgroup limits from the plan, bubblewrap sandbox, its own uid, its own network
/// namespace, re-adopted after a server restart). Its spec is stored sealed with the add-on (it carries the password).
/// </summary>
internal sealed partial class AddonServers : IAsyncDisposable
{
    /// <summary>The deployment id add-on instances carry (they have no deployments).</summary>
    public const string DeploymentId = "addon";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IInstanceScheduler _scheduler;
    private readonly IStateStore _store;
    private readonly SecretBox _box;
    private readonly NuagePaths _paths;
    private readonly AddonEngines _engines;
    private readonly InstanceOutputTailers _tailers;
    private readonly LogStore _logs;
    private readonly ILogSink _events;
    private readonly ConcurrentDictionary<string, InstanceStatus> _reported = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<AddonServers> _logger;
    private readonly ConcurrentDictionary<string, InstanceSpec> _specs = new(StringComparer.Ordinal);
    private readonly Channel<InstanceState> _changes = Channel.CreateUnbounded<InstanceState>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _persistLoop;

    public AddonServers(
        IInstanceScheduler scheduler,
        IStateStore store,
        SecretBox box,
        NuagePaths paths,
        AddonEngines engines,
        InstanceOutputTailers tailers,
        LogStore logs,
        ILogSink events,
        TimeProvider time,
        ILogger<AddonServers> logger)
    {
        _events = events;
        _tailers = tailers;
        _logs = logs;
        _time = time;
        _scheduler = scheduler;
        _store = store;
        _box = box;
        _paths = paths;
        _engines = engines;
        _logger = logger;
        _scheduler.InstanceChanged += (_, e) =>
        {
            if (_specs.ContainsKey(e.State.AppId))
            {
                _changes.Writer.TryWrite(e.State);
            }
        };
        _persistLoop = Task.Run(PersistLoopAsync);
    }

    public static string InstanceIdOf(string addonId) => addonId + "-server";

    /// <summary>The add-on's uid: taken from the top of the app uid range downwards, so it never meets an app's.</summary>
    public static int UidOf(AddonRecord addon) => AppUserIds.ForIndex(AppUserIds.Count - 1 - addon.UidIndex);

    /// <summary>The spec of an add-on's server, or null when it has none (not started yet).</summary>
    public InstanceSpec? Spec(string addonId) => _specs.GetValueOrDefault(addonId);

    public InstanceState? State(string addonId) => _scheduler.Get(InstanceIdOf(addonId));

    public InstanceUsage? Usage(string addonId) => _scheduler.GetUsage(InstanceIdOf(addonId));

    /// <summary>Where linked apps reach the add-on: its own instance address (network isolation) or the host's loopback.</summary>
    public static string HostOf(InstanceSpec spec) => spec.Address ?? "127.0.0.1";

    /// <summary>
    /// Writes the configuration and starts the add-on's server under supervision. A new add-on gets a port and an
    /// address; a known one keeps its previous ones (linked apps hold them in their variables).
    /// </summary>
    public async Task<InstanceSpec> StartAsync(AddonRecord addon, string password, CancellationToken cancellationToken)
    {
        var engine = _engines.Of(addon.Type);
        var plan = AddonPlans.Find(addon.Plan) ?? AddonPlans.Find(AddonPlans.Default)!;
        var previous = _specs.GetValueOrDefault(addon.Id);
        var port = previous?.Port ?? _scheduler.AllocatePort();
        var address = previous is null ? _scheduler.AllocateAddress() : previous.Address;
        var uid = _scheduler.RequiresUid ? UidOf(addon) : (int?)null;
        var config = _paths.AddonConfig(addon.Id);
        var data = _paths.AddonData(addon.Id);
        Directory.CreateDirectory(config);
        Directory.CreateDirectory(data);
        var context = new AddonContext(addon, plan, config, data, port, uid);
        engine.WriteConfig(context);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SystemPath.Value,
            ["HOME"] = data,
            ["LANG"] = "C.UTF-8",
            [AddonEngine.PasswordVariable] = password,
        };
        foreach (var (name, value) in engine.Environment(context))
        {
            env[name] = value;
        }

        var instanceId = InstanceIdOf(addon.Id);
        var spec = new InstanceSpec
        {
            AppId = addon.Id,
            AppName = addon.Name,
            DeploymentId = DeploymentId,
            InstanceId = instanceId,
            Kind = InstanceKind.Web,
            ReleaseDirectory = config,
            DataDirectory = data,
            PreRunHook = engine.InitCommand(context),
            Command = engine.ServerCommand(context),
            Environment = env,
            Port = port,
            Address = address,
            KeepsAddress = true, // restarts (restore, plan change, rotation) reuse it; StopAsync(forget) gives it back
            Flavor = new Flavor(plan.Name, plan.MemoryMiB, plan.MilliCpu, plan.MaxProcesses),
            StdoutPath = _paths.InstanceOutput(addon.Id, instanceId, "stdout"),
            StderrPath = _paths.InstanceOutput(addon.Id, instanceId, "stderr"),
            RestartPolicy = RestartPolicy.Always,
            RestartDelay = TimeSpan.FromSeconds(1),
            Uid = uid,
        };
        _specs[addon.Id] = spec;
        await _store.Addons.UpdateAsync(addon with { SealedSpec = Seal(spec), State = null, LastError = null }, cancellationToken);
        Tail(spec);
        await _scheduler.StartAsync(spec, cancellationToken);
        return spec;
    }

    /// <summary>Records a new user and password in the record and the saved spec (without restarting): the server's next start uses it.</summary>
    public async Task RememberPasswordAsync(AddonRecord addon, string username, byte[] sealedPassword, string password, CancellationToken cancellationToken)
    {
        byte[]? sealedSpec = null;
        if (_specs.TryGetValue(addon.Id, out var spec))
        {
            var env = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal) { [AddonEngine.PasswordVariable] = password };
            spec = spec with { Environment = env };
            _specs[addon.Id] = spec;
            sealedSpec = Seal(spec);
        }

        var fresh = await _store.Addons.FindByNameAsync(addon.Name, cancellationToken) ?? addon;
        await _store.Addons.UpdateAsync(fresh with { Username = username, SealedPassword = sealedPassword, SealedSpec = sealedSpec ?? fresh.SealedSpec }, cancellationToken);
    }

    /// <summary>Stops the add-on's server (SIGTERM: the databases flush and shut down cleanly) and forgets it when <paramref name="forget"/>.</summary>
    public async Task StopAsync(string addonId, bool forget, CancellationToken cancellationToken)
    {
        var instanceId = InstanceIdOf(addonId);
        if (_scheduler.Get(instanceId) is not null)
        {
            await _scheduler.StopAsync(instanceId, TimeSpan.FromSeconds(30), cancellationToken);
            _scheduler.Remove(instanceId);
        }

        if (forget && _specs.TryRemove(addonId, out var spec))
        {
            await _tailers.StopAsync(addonId, instanceId);
            await _logs.DeleteAppAsync(addonId);
            if (spec.Port is { } port)
            {
                _scheduler.ReleasePort(port);
            }

            if (spec.Address is { } address)
            {
                _scheduler.ReleaseAddress(address);
            }
        }
    }

    /// <summary>After a server start: re-adopts add-on servers that kept running, restarts those that did not.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var adoptable = new List<AdoptedInstance>();
        var records = new Dictionary<string, AddonRecord>(StringComparer.Ordinal);
        foreach (var addon in await _store.Addons.ListAsync(cancellationToken))
        {
            if (addon.SealedSpec is null)
            {
                continue;
            }

            try
            {
                var spec = JsonSerializer.Deserialize<InstanceSpec>(_box.Open(addon.SealedSpec, SpecContext(addon.Id)), Json)!;
                _specs[addon.Id] = spec;
                records[spec.InstanceId] = addon;
                if (addon.State is { Length: > 0 } state)
                {
                    adoptable.Add(new AdoptedInstance(spec, JsonSerializer.Deserialize<InstanceState>(state, Json)!));
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                LogUnreadable(_logger, addon.Name, e);
            }
        }

        foreach (var spec in _specs.Values)
        {
            Tail(spec); // resumes at the offsets committed with the lines, so a kill -9 of the server loses and repeats nothing
        }

        var adopted = (await _scheduler.AdoptAsync(adoptable, cancellationToken)).Where(r => r.Adopted).Select(r => r.InstanceId).ToHashSet(StringComparer.Ordinal);
        foreach (var spec in _specs.Values.Where(s => !adopted.Contains(s.InstanceId)).ToList())
        {
            try
            {
                await _scheduler.StartAsync(spec, cancellationToken);
                LogRestarted(_logger, spec.AppName);
            }
            catch (Core.Errors.NuageException e)
            {
                LogRestartFailed(_logger, spec.AppName, e);
            }
        }
    }

    /// <summary>
    /// The last lines the add-on's server wrote (its own error messages), for status and failures. They are read from
    /// the log store, where the output files' tailer put them (opening the files without following a symlink), never
    /// from the files themselves: the ingested part of a file is punched out, and a path is not trusted twice.
    /// </summary>
    public async Task<string?> LastLinesAsync(string addonId, int count = 8)
    {
        try
        {
            var records = await _logs.QueryAsync(addonId, new LogQuery { Newest = true, Limit = count, Filter = new LogFilter { Source = LogSource.App } });
            var text = string.Join('\n', records.Select(r => r.Record.Message).Where(m => m.Length > 0));
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// <see cref="LastLinesAsync"/> once the tailer has caught up with what the server wrote before it stopped: it polls
    /// its files every 200 ms at most, so a line written just before a crash is stored a moment later.
    /// </summary>
    public async Task<string?> LastLinesSettledAsync(string addonId, CancellationToken cancellationToken = default)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
        return await LastLinesAsync(addonId);
    }

    public byte[] Seal(InstanceSpec spec) => _box.Seal(JsonSerializer.Serialize(spec, Json), SpecContext(spec.AppId));

    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _persistLoop;
    }

    private static string SpecContext(string addonId) => "addon-spec:" + addonId;

    /// <summary>Copies the server's output files into the log store under the add-on's id (idempotent), as app instances' are.</summary>
    private void Tail(InstanceSpec spec) =>
        _tailers.Start(new InstanceOutput(spec.AppId, spec.InstanceId, spec.DeploymentId, spec.StdoutPath, spec.StderrPath));

    /// <summary>
    /// A platform event in each linked app's log when the add-on's server dies (crash, crash loop, out of memory) and
    /// when it runs again, so an app's errors can be read next to their cause.
    /// </summary>
    private async Task TellLinkedAppsAsync(InstanceState state, bool failed, string? error)
    {
        if (failed)
        {
            if (_reported.TryGetValue(state.AppId, out var reported) && reported == state.Status)
            {
                return; // told already; a change (crashed → crash loop) is told again
            }

            _reported[state.AppId] = state.Status;
        }
        else if (state.Status != InstanceStatus.Running || !_reported.TryRemove(state.AppId, out _))
        {
            return;
        }

        if (!_specs.TryGetValue(state.AppId, out var spec))
        {
            return;
        }

        var status = state.Status switch
        {
            InstanceStatus.CrashLooping => "keeps crashing (crash loop; restarts are spaced out)",
            InstanceStatus.OomKilled => "was killed for using more memory than its plan allows; it is restarted",
            InstanceStatus.Exited => "stopped",
            InstanceStatus.Running => "runs again",
            _ => "crashed; it is restarted",
        };
        var message = failed && error is not null
            ? $"Add-on {spec.AppName}'s server {status}. Its last lines: {error.Replace('\n', ' ')}"
            : $"Add-on {spec.AppName}'s server {status}.";
        foreach (var link in await _store.Addons.ListLinksAsync(state.AppId, null, CancellationToken.None))
        {
            _events.Write(new LogRecord(_time.GetUtcNow(), link.AppId, LogSource.Platform, message));
        }
    }

    private async Task PersistLoopAsync()
    {
        await foreach (var state in _changes.Reader.ReadAllAsync())
        {
            try
            {
                var failed = state.Status is InstanceStatus.Crashed or InstanceStatus.CrashLooping or InstanceStatus.OomKilled or InstanceStatus.Exited;
                var error = failed && _specs.ContainsKey(state.AppId) ? await LastLinesSettledAsync(state.AppId) : null;
                await _store.Addons.SaveStateAsync(state.AppId, JsonSerializer.Serialize(state, Json), error, CancellationToken.None);
                await TellLinkedAppsAsync(state, failed, error);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
            {
                LogPersistFailed(_logger, state.InstanceId, e);
            }
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Could not save the state of add-on instance {InstanceId}")]
    private static partial void LogPersistFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Add-on {Addon}: its saved server spec cannot be read; it is not started")]
    private static partial void LogUnreadable(ILogger logger, string addon, Exception exception);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Add-on {Addon}: restarted its server, which had stopped while the server was down")]
    private static partial void LogRestarted(ILogger logger, string addon);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning, Message = "Add-on {Addon}: could not restart its server")]
    private static partial void LogRestartFailed(ILogger logger, string addon, Exception exception);
}

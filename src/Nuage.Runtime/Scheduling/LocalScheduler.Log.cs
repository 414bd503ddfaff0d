using Microsoft.Extensions.Logging;
using Nuage.Core.Instances;

namespace Nuage.Runtime.Scheduling;

/// <summary>Operator log lines of the scheduler; event ids 4000–4099 belong to Nuage.Runtime.</summary>
public sealed partial class LocalScheduler
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Instances run sandboxed: bubblewrap {Bwrap}, cgroup {CgroupVersion}, per-app uid {SwitchesUsers}")]
    private partial void LogSandboxReady(string bwrap, string cgroupVersion, bool switchesUsers);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Running apps WITHOUT a sandbox (--insecure-no-sandbox): no bubblewrap, no per-app uid; cgroup limits: {CgroupVersion}. {Missing}")]
    private partial void LogInsecure(string cgroupVersion, string missing);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "The app sandbox is unavailable, so instances will be refused: {Missing} Fix it, or start the server with --insecure-no-sandbox to run apps unisolated.")]
    private partial void LogSandboxUnavailable(string missing);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Instance {InstanceId} of app {AppId}: {Kind} (pid {Pid}): {Message}")]
    private partial void LogInstanceEvent(string instanceId, string appId, InstanceEventKind kind, int pid, string message);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "An instance event subscriber failed")]
    private partial void LogSubscriberFailed(Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Supervision of instance {InstanceId} failed; the instance is left as it is")]
    private partial void LogSupervisionFailed(string instanceId, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Instances run in network namespaces of their own: addresses from {Pool}, firewall table inet {Table}")]
    private partial void LogNetworkIsolated(string pool, string table);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Apps share the host's network (--insecure-host-network): an app can reach every other app's port, the API and every service listening on this machine")]
    private partial void LogHostNetwork();

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "Network isolation is unavailable, so instances will be refused: {Problem} Fix it, or start the server with --insecure-host-network")]
    private partial void LogNetworkUnavailable(string problem);
}

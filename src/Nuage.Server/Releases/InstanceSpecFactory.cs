using Nuage.Build.Planning;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Runtime.Sandboxing;
using Nuage.Server.Hosting;

namespace Nuage.Server.Releases;

/// <summary>Turns an app, a release and its start plan into the specs of its web instances and workers.</summary>
internal sealed class InstanceSpecFactory(NuagePaths paths, NuageServerOptions options, IInstanceScheduler scheduler)
{
    /// <summary>Where the router's requests to instances come from on the host's network (it connects over loopback).</summary>
    public static readonly IReadOnlyList<string> RouterAddresses = ["127.0.0.1", "::1"];

    /// <summary>The router's addresses and the trusted proxies in front of it: what apps get in <c>CC_REVERSE_PROXY_IPS</c>.</summary>
    public string ReverseProxyIps { get; } = string.Join(',', RouterAddresses.Concat(options.TrustedProxies).Distinct(StringComparer.Ordinal));

    public IReadOnlyList<InstanceSpec> Create(
        AppConfig app,
        DeploymentRecord deployment,
        string releaseDirectory,
        StartPlan plan,
        AppSettings settings,
        IReadOnlyDictionary<string, string> userEnv)
    {
        var specs = new List<InstanceSpec>();
        var workers = settings.WorkerCommands.Concat(plan.Workers.Select(w => w.Command)).ToList();
        for (var n = 0; n < app.Instances; n++)
        {
            if (settings.IsTask)
            {
                specs.Add(Spec(app, deployment, releaseDirectory, plan, userEnv, $"{deployment.Id}-task-{n}", n, InstanceKind.Task, RunCommand(plan, settings), null, settings));
                continue;
            }

            if (!StaticServing.IsServedByRouter(plan))
            {
                var port = scheduler.AllocatePort();
                specs.Add(Spec(app, deployment, releaseDirectory, plan, userEnv, $"{deployment.Id}-web-{n}", n, InstanceKind.Web, WebCommand(plan, app.Id), port, settings));
            }

            for (var w = 0; w < workers.Count; w++)
            {
                specs.Add(Spec(app, deployment, releaseDirectory, plan, userEnv, $"{deployment.Id}-worker{w}-{n}", n, InstanceKind.Worker, workers[w], null, settings) with
                {
                    RestartPolicy = settings.WorkerRestart switch
                    {
                        WorkerRestartPolicy.Always => RestartPolicy.Always,
                        WorkerRestartPolicy.OnFailure => RestartPolicy.OnFailure,
                        _ => RestartPolicy.No,
                    },
                    RestartDelay = settings.WorkerRestartDelay > TimeSpan.Zero ? settings.WorkerRestartDelay : TimeSpan.FromSeconds(1),
                });
            }
        }

        return specs;
    }

    /// <summary>
    /// One more instance like <paramref name="template"/> (same release, command, variables and flavor) with instance
    /// number <paramref name="number"/>: its own id, port, address and output files, and the platform variables that
    /// depend on them. Used to scale out without a rebuild or a new deployment.
    /// </summary>
    public InstanceSpec Another(InstanceSpec template, int number)
    {
        var stem = template.InstanceId[..template.InstanceId.LastIndexOf('-')] + "-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = stem;
        for (var n = 1; File.Exists(paths.InstanceOutput(template.AppId, id, "stdout")); n++)
        {
            id = stem + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture); // never reuse an earlier instance's output files
        }

        var port = template.Port is null ? (int?)null : scheduler.AllocatePort();
        var address = scheduler.AllocateAddress();
        var env = new Dictionary<string, string>(template.Environment, StringComparer.Ordinal)
        {
            [KnownVariables.InstanceNumber.Name] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [KnownVariables.InstanceId.Name] = id,
            [KnownVariables.ReverseProxyIps.Name] = address is null ? ReverseProxyIps : ReverseProxyIps + "," + scheduler.RouterAddressFor(address),
        };
        if (port is { } p)
        {
            env[KnownVariables.Port.Name] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return template with
        {
            InstanceId = id,
            InstanceNumber = number,
            Port = port,
            Address = address,
            Environment = env,
            StdoutPath = paths.InstanceOutput(template.AppId, id, "stdout"),
            StderrPath = paths.InstanceOutput(template.AppId, id, "stderr"),
        };
    }

    /// <summary>The build's environment (its steps and build hooks); the build runner adds the runtime's PATH and HOME.</summary>
    public Dictionary<string, string> BuildEnvironment(AppConfig app, DeploymentRecord deployment, string appHome, IReadOnlyDictionary<string, string> variables) =>
        PlatformEnvironment.For(new AppProcess(AppProcessKind.Build, app, deployment, $"{deployment.Id}-build", 0, appHome, ReverseProxyIps), paths, variables);

    /// <summary>A run-time hook's environment (run-succeeded, run-failed): the same platform variables as an instance's, without PORT.</summary>
    public Dictionary<string, string> HookEnvironment(AppConfig app, DeploymentRecord deployment, string hook, StartPlan plan, IReadOnlyDictionary<string, string> variables) =>
        PlatformEnvironment.For(
            new AppProcess(AppProcessKind.Hook, app, deployment, $"{deployment.Id}-{hook}", 0, plan.WorkingDirectory, ReverseProxyIps)
            {
                PlanEnvironment = plan.Environment,
                PathPrepend = plan.PathPrepend,
            },
            paths,
            variables);

    private InstanceSpec Spec(
        AppConfig app,
        DeploymentRecord deployment,
        string releaseDirectory,
        StartPlan plan,
        IReadOnlyDictionary<string, string> userEnv,
        string instanceId,
        int number,
        InstanceKind kind,
        string command,
        int? port,
        AppSettings settings)
    {
        // With a network of its own, the router's requests come from the host's end of the instance's veth pair.
        var address = scheduler.AllocateAddress();
        var reverseProxyIps = address is null ? ReverseProxyIps : ReverseProxyIps + "," + scheduler.RouterAddressFor(address);
        var env = PlatformEnvironment.For(
            new AppProcess(AppProcessKind.Instance, app, deployment, instanceId, number, plan.WorkingDirectory, reverseProxyIps, port)
            {
                PlanEnvironment = plan.Environment,
                PathPrepend = plan.PathPrepend,
            },
            paths,
            userEnv);

        return new InstanceSpec
        {
            AppId = app.Id,
            AppName = app.Name,
            DeploymentId = deployment.Id,
            InstanceId = instanceId,
            InstanceNumber = number,
            Kind = kind,
            ReleaseDirectory = releaseDirectory,
            WorkingDirectory = plan.WorkingDirectory,
            DataDirectory = paths.Data(app.Id),
            Command = command,
            PreRunHook = kind == InstanceKind.Worker ? null : settings.PreRunHook,
            Environment = env,
            Port = port,
            Address = address,
            Flavor = Flavors.Find(app.Flavor) ?? Flavors.Find(Flavors.Default)!,
            StdoutPath = paths.InstanceOutput(app.Id, instanceId, "stdout"),
            StderrPath = paths.InstanceOutput(app.Id, instanceId, "stderr"),
            RestartPolicy = RestartPolicy.Always,
            Uid = scheduler.RequiresUid ? AppUserIds.ForIndex(app.UidIndex) : null,
        };
    }

    private string WebCommand(StartPlan plan, string appId) => plan.Kind switch
    {
        StartKind.Command => plan.Command!,
        // Not started any more (the router serves static releases); `nuage serve-static` stays for instances an older server started.
        StartKind.Static => throw new InvalidOperationException("static sites are served by the router, without an instance"),
        StartKind.Php => PhpServing.Command(plan, paths.Data(appId)),
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, "unknown start kind"),
    };

    private static string RunCommand(StartPlan plan, AppSettings settings) =>
        settings.RunCommand ?? plan.Command ?? throw new Core.Errors.NuageException(
            Core.Errors.ErrorKind.Invalid, ErrorCodes.InvalidVariable, $"A task app needs a command: set {KnownVariables.RunCommand.Name}.");
}

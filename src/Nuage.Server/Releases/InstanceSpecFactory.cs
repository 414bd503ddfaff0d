using Nuage.Build.Planning;
using Nuage.Core.Apps;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Runtime.Instances;
using Nuage.Runtime.Sandboxing;
using Nuage.Runtime.Scheduling;
using Nuage.Server.Hosting;

namespace Nuage.Server.Releases;

/// <summary>Turns an app, a release and its start plan into the specs of its web instances and workers.</summary>
internal sealed class InstanceSpecFactory(NuagePaths paths, NuageServerOptions options, LocalScheduler scheduler)
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

            var port = scheduler.AllocatePort();
            specs.Add(Spec(app, deployment, releaseDirectory, plan, userEnv, $"{deployment.Id}-web-{n}", n, InstanceKind.Web, WebCommand(plan), port, settings));
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
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.Join(':', plan.PathPrepend.Append(PlatformPath.System)),
            ["HOME"] = paths.Data(app.Id),
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (name, value) in plan.Environment)
        {
            env[name] = value;
        }

        foreach (var (name, value) in userEnv)
        {
            env[name] = value;
        }

        // Platform variables last: users cannot override them.
        if (port is { } p)
        {
            env[KnownVariables.Port.Name] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        env[KnownVariables.InstanceNumber.Name] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[KnownVariables.InstanceId.Name] = instanceId;
        env[KnownVariables.InstanceType.Name] = "production";
        env[KnownVariables.AppId.Name] = app.Id;
        env[KnownVariables.AppHome.Name] = plan.WorkingDirectory;
        env[KnownVariables.DeploymentId.Name] = deployment.Id;
        env[KnownVariables.CommitId.Name] = deployment.CommitId ?? string.Empty;
        env[KnownVariables.AppName.Name] = app.Name;
        // With a network of its own, the router's requests come from the host's end of the instance's veth pair.
        var address = scheduler.AllocateAddress();
        env[KnownVariables.ReverseProxyIps.Name] = address is null ? ReverseProxyIps : ReverseProxyIps + "," + LocalScheduler.RouterAddressFor(address);

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

    private string WebCommand(StartPlan plan) => plan.Kind switch
    {
        StartKind.Command => plan.Command!,
        StartKind.Static => $"exec {options.SelfCommand} serve-static --root {ShellQuote.Quote(plan.StaticRoot!)}",
        StartKind.Php => PhpServing.Command(plan),
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, "unknown start kind"),
    };

    private static string RunCommand(StartPlan plan, AppSettings settings) =>
        settings.RunCommand ?? plan.Command ?? throw new Core.Errors.NuageException(
            Core.Errors.ErrorKind.Invalid, "invalid_variable", $"A task app needs a command: set {KnownVariables.RunCommand.Name}.");
}

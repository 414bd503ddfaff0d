using System.Diagnostics;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Runtime.Networking;
using Nuage.Core.Paths;
using Nuage.Runtime.Processes;
using Nuage.Runtime.Sandboxing;

namespace Nuage.Runtime.Scheduling;

/// <summary>Spawns one run of an instance, detached from the server (own session, output to files).</summary>
internal sealed class InstanceLauncher
{
    private const string DefaultPath = SystemPath.Value;
    private readonly LocalSchedulerOptions _options;
    private readonly SandboxCapabilities _capabilities;
    private readonly InstanceNetworks? _networks;
    private readonly TimeProvider _time;

    public InstanceLauncher(LocalSchedulerOptions options, SandboxCapabilities capabilities, InstanceNetworks? networks, TimeProvider time)
    {
        _options = options;
        _capabilities = capabilities;
        _networks = networks;
        _time = time;
    }

    /// <summary>True when apps run under bubblewrap (false only with InsecureNoSandbox).</summary>
    public bool Sandboxed => !_options.InsecureNoSandbox;

    /// <summary>The uid the app runs as, or null to keep the server's (not root, or insecure mode).</summary>
    public int? UidFor(InstanceSpec spec) => Sandboxed && _capabilities.IsRoot ? spec.Uid : null;

    public string StatusFile(string instanceId) => Path.Combine(_options.RunDirectory, instanceId + ".status");

    /// <summary>
    /// Deletes the launch files of versions that wrote the sandbox options (the app's variables among them) to
    /// run/&lt;id&gt;.bwrap-args in clear; options now reach the wrapper over a pipe.
    /// </summary>
    public static void RemovePlaintextLaunchFiles(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(runDirectory, "*.bwrap-args*"))
        {
            File.Delete(file);
        }
    }

    public async Task<InstanceState> LaunchAsync(InstanceSpec spec, int restarts, CancellationToken cancellationToken)
    {
        foreach (var file in new[] { spec.StdoutPath, spec.StderrPath })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }

        var cgroups = _capabilities.Cgroups;
        var procsFiles = cgroups?.Prepare(spec.AppId, spec.InstanceId, spec.Flavor) ?? [];
        var oomBaseline = cgroups?.ReadOomKills(spec.AppId, spec.InstanceId) ?? 0;

        var status = StatusFile(spec.InstanceId);
        File.Delete(status);
        var start = new ProcessStartInfo(_capabilities.SetsidPath)
        {
            UseShellExecute = false,
            WorkingDirectory = spec.EffectiveWorkingDirectory,
        };
        start.Environment.Clear();
        var args = start.ArgumentList;
        args.Add("/bin/bash");
        args.Add("-c");
        args.Add(WrapperScript.Text);
        args.Add("nuage-instance");
        args.Add(spec.StdoutPath);
        args.Add(spec.StderrPath);
        args.Add(status);
        args.Add(procsFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var procs in procsFiles)
        {
            args.Add(procs);
        }

        string? sandboxOptions = null;
        if (Sandboxed)
        {
            // The app's environment reaches only the sandbox (bwrap --clearenv --setenv, options piped on stdin, never
            // in a file): the root-owned wrapper never has variables such as LD_PRELOAD or BASH_ENV in its environment.
            start.Environment["PATH"] = DefaultPath;
            start.RedirectStandardInput = true;
            var uid = UidFor(spec);
            sandboxOptions = Convert.ToBase64String(SandboxArguments.Serialize(SandboxArguments.Build(spec, [.. _options.ExtraReadOnlyPaths], uid)));
            args.Add("sandbox");
            args.Add(spec.PreRunHook ?? string.Empty);
            args.Add(spec.Command);
            if (spec.Address is { } address && _networks is { } networks)
            {
                foreach (var part in networks.EnterPrefix(address))
                {
                    args.Add(part);
                }
            }

            args.Add(_capabilities.BwrapPath!);
            args.Add("--args");
            args.Add("3");
            foreach (var part in SandboxArguments.CommandPrefix(_capabilities.SetprivPath, uid))
            {
                args.Add(part);
            }
        }
        else
        {
            foreach (var (name, value) in spec.Environment)
            {
                start.Environment[name] = value;
            }

            if (!spec.Environment.ContainsKey("PATH"))
            {
                start.Environment["PATH"] = DefaultPath;
            }

            args.Add(string.Empty);
            args.Add(spec.PreRunHook ?? string.Empty);
            args.Add(spec.Command);
            args.Add("/bin/bash");
            args.Add("-c");
        }

        int pid;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process.");
            pid = process.Id;
            if (sandboxOptions is not null)
            {
                try
                {
                    await process.StandardInput.WriteAsync(sandboxOptions.AsMemory(), cancellationToken).ConfigureAwait(false);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The wrapper died before reading its options; its status file and the supervisor report the failure.
                }
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.InstanceStartFailed, $"Could not start instance '{spec.InstanceId}': {e.Message}");
        }

        var stat = ProcStat.Read(pid);
        return new InstanceState(
            spec.InstanceId,
            spec.AppId,
            spec.DeploymentId,
            spec.Kind,
            pid,
            stat?.StartTicks ?? 0,
            spec.Port,
            spec.PreRunHook is null ? InstanceStatus.Running : InstanceStatus.Starting,
            null,
            restarts,
            _time.GetUtcNow(),
            oomBaseline);
    }

    /// <summary>Removes the run files of an instance that will not run again.</summary>
    public void Forget(string instanceId)
    {
        File.Delete(StatusFile(instanceId));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Nuage.Build.Planning;
using Nuage.Core.Sandboxing;

namespace Nuage.Build.Steps;

/// <summary>
/// Runs one <see cref="BuildStep"/> with <c>bash -c</c> (through an <see cref="IStepSandbox"/>) in its own process group, with exactly the environment given,
/// streaming each output line to a callback. When the command exits (or the build is cancelled) the whole process
/// group is killed, so a step leaves nothing running behind it.
/// </summary>
public sealed class StepRunner
{
    private const string SetSid = "/usr/bin/setsid";
    private readonly BuildOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StepRunner> _logger;

    public StepRunner(BuildOptions options, TimeProvider time, ILogger<StepRunner> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="step"/> as plain <c>bash -c</c>. The child gets only <paramref name="environment"/> (pass PATH and HOME).
    /// Returns the exit code and duration; throws <see cref="OperationCanceledException"/> after killing the step
    /// when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task<StepResult> RunAsync(BuildStep step, IReadOnlyDictionary<string, string> environment, Action<OutputLine> onOutput, CancellationToken cancellationToken) =>
        RunAsync(new StepLaunch(step, environment, []), null, onOutput, cancellationToken);

    /// <summary>
    /// Runs a step through <paramref name="sandbox"/> (null: plain <c>bash -c</c>). Everything the step started is
    /// killed when it exits or is cancelled; a failure the sandbox can explain (a limit) is in <see cref="StepResult.Reason"/>.
    /// </summary>
    public async Task<StepResult> RunAsync(StepLaunch launch, IStepSandbox? sandbox, Action<OutputLine> onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();
        var step = launch.Step;
        await using var prepared = await (sandbox ?? PlainStepSandbox.Instance).PrepareAsync(launch.ToCommand(), cancellationToken);
        var start = new ProcessStartInfo
        {
            FileName = File.Exists(SetSid) ? SetSid : prepared.FileName,
            WorkingDirectory = step.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (start.FileName == SetSid)
        {
            start.ArgumentList.Add(prepared.FileName);
        }

        foreach (var arg in prepared.Arguments)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in prepared.Environment)
        {
            start.Environment[name] = value;
        }

        _logger.StepStarted(step.Name, step.WorkingDirectory);
        var began = _time.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start bash for step '{step.Name}'");
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, "stdout", onOutput);
        var stderr = PumpAsync(process.StandardError, "stderr", onOutput);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await KillGroupAsync(process);
            await prepared.KillAsync();
            _logger.StepCancelled(step.Name, process.Id);
            await process.WaitForExitAsync(CancellationToken.None);
            await DrainAsync(stdout, stderr);
            throw;
        }

        var duration = _time.GetElapsedTime(began);
        await KillGroupAsync(process);
        await prepared.KillAsync();
        await DrainAsync(stdout, stderr);
        _logger.StepFinished(step.Name, process.ExitCode, (long)duration.TotalMilliseconds);
        var reason = process.ExitCode == 0 ? null : prepared.ExplainFailure(process.ExitCode);
        return new StepResult(step, process.ExitCode, duration) { Reason = reason };
    }

    private static async Task PumpAsync(StreamReader reader, string stream, Action<OutputLine> onOutput)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onOutput(new OutputLine(stream, line));
        }
    }

    private async Task DrainAsync(Task stdout, Task stderr)
    {
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(_options.OutputDrainTimeout, _time);
        }
        catch (TimeoutException)
        {
            // A process outside the group still holds the pipes open; stop reading rather than hang the build.
        }
    }

    /// <summary>SIGKILL to the step's process group (pid = pgid thanks to setsid), then to any remaining descendant.</summary>
    private static async Task KillGroupAsync(Process process)
    {
        try
        {
            // bash's kill builtin: always present, unlike /usr/bin/kill.
            using var kill = Process.Start(new ProcessStartInfo
            {
                FileName = "bash",
                ArgumentList = { "-c", "kill -s KILL -- \"-$1\" 2>/dev/null; true", "bash", process.Id.ToString(CultureInfo.InvariantCulture) },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (kill is not null)
            {
                await kill.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill binary: fall back to the tree kill below.
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

using Nuage.Core.Instances;
using Nuage.Core.Routing;

namespace Nuage.Server.Instances;

internal sealed partial class AppInstances
{
    private const int CrashesBeforeGivingUp = 2;

    /// <summary>
    /// Waits until every instance passes its health check, or gives up early when an instance keeps crashing
    /// (no point waiting out the timeout): the reason then quotes the end of its error output.
    /// </summary>
    public async Task<(bool Healthy, string Detail)> WaitHealthyAsync(IReadOnlyList<InstanceEndpoint> endpoints, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var health = _router.Health.WaitHealthyAsync(endpoints, paths, _options.HealthTimeout, stop.Token);
        var crash = WatchForCrashesAsync(endpoints, stop.Token);
        var first = await Task.WhenAny(health, crash);
        await stop.CancelAsync();
        if (first == crash && await crash is { } reason)
        {
            return (false, reason);
        }

        var report = await health;
        return (report.Healthy, report.Describe());
    }

    private async Task<string?> WatchForCrashesAsync(IReadOnlyList<InstanceEndpoint> endpoints, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                foreach (var endpoint in endpoints)
                {
                    if (_scheduler.Get(endpoint.InstanceId) is { } state
                        && (state.Status is InstanceStatus.CrashLooping or InstanceStatus.OomKilled || state.Restarts >= CrashesBeforeGivingUp))
                    {
                        var what = state.Status == InstanceStatus.OomKilled ? "was killed for using more memory than its flavor allows" : $"keeps exiting (last exit code {state.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})";
                        var tail = _specs.TryGetValue(endpoint.InstanceId, out var spec) ? await TailAsync(spec.StderrPath, 3) : string.Empty;
                        return $"instance {endpoint.InstanceId} {what}{(tail.Length > 0 ? "; its last error output: " + tail : string.Empty)}";
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The last non-empty lines of an output file, joined with " | ".</summary>
    internal static async Task<string> TailAsync(string path, int lines)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Max(0, stream.Length - 4096), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return string.Join(" | ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(lines));
    }
}

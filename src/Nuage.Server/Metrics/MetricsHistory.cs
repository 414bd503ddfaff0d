using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Server.Apps;

namespace Nuage.Server.Metrics;

/// <summary>
/// The last hour of each app's metrics, in memory, for the console's charts: the summary of <c>/metrics</c> sampled
/// every <see cref="Interval"/>. Prometheus scraping <c>/metrics</c> remains the way to keep history longer or across
/// restarts; this is what a newcomer sees without running one.
/// </summary>
internal sealed partial class MetricsHistory(MetricsService metrics, AppService apps, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Points kept per app: one hour.</summary>
    public const int Kept = 360;

    private readonly ILogger _logger = loggers.CreateLogger<MetricsHistory>();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, Queue<MetricsPointDto>> _byApp = new(StringComparer.Ordinal);
    private Task? _loop;

    public void Start() => _loop = RunAsync(_stop.Token);

    public async Task<MetricsHistoryDto> ForAsync(Caller caller, string? appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading metrics");
        if (string.IsNullOrEmpty(appName))
        {
            throw Core.Errors.NuageException.Invalid("app", appName, "name the app: /v1/metrics/history?app=NAME");
        }

        var app = await apps.FindAsync(caller, appName, cancellationToken);
        lock (_lock)
        {
            return new MetricsHistoryDto(app.Name, (int)Interval.TotalSeconds, _byApp.TryGetValue(app.Name, out var points) ? [.. points] : []);
        }
    }

    /// <summary>Takes one sample of every app now (the loop calls it each interval).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var summary = MetricsSummary.From(await metrics.CollectAsync(cancellationToken), null);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            // Apps that disappeared (deleted) are dropped; the rest get one point more, at most an hour's worth.
            var next = new Dictionary<string, Queue<MetricsPointDto>>(StringComparer.Ordinal);
            foreach (var app in summary.Apps)
            {
                var points = _byApp.GetValueOrDefault(app.App) ?? new Queue<MetricsPointDto>();
                points.Enqueue(new MetricsPointDto(now, app.Requests, app.Errors5xx, app.P50Seconds, app.P99Seconds, app.Instances));
                while (points.Count > Kept)
                {
                    points.Dequeue();
                }

                next[app.App] = points;
            }

            _byApp = next;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SampleAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSampleFailed(_logger, e);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 2095, Level = LogLevel.Warning, Message = "Sampling metrics for the console's history failed; the charts show a gap")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}

using System.Collections.Concurrent;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Autoscale;

/// <summary>
/// A bounded closed-loop load on loopback: <c>workers</c> loops each sending one request at a time through the router
/// until stopped (or a hard limit passes). Counts answers; anything but a 200 is a failure, kept with its reason.
/// </summary>
internal sealed class LoadLoop : IAsyncDisposable
{
    private static readonly TimeSpan HardLimit = TimeSpan.FromMinutes(3);
    private readonly CancellationTokenSource _stop = new(HardLimit);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Task[] _workers;
    private long _ok;

    private readonly TimeSpan _pause;

    /// <param name="pause">Wait between two requests of a loop (zero: as fast as answers come).</param>
    public LoadLoop(RunningServer server, string app, string path, int workers, TimeSpan pause = default)
    {
        _pause = pause;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(new Uri(server.Server.RouterAddress, path), app + ".localhost")))];
    }

    public long Ok => Interlocked.Read(ref _ok);

    public ConcurrentQueue<string> Failures { get; } = new();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task RunAsync(Uri url, string host)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Host = host } };
                using var response = await _http.SendAsync(request, _stop.Token);
                await response.Content.ReadAsStringAsync(_stop.Token);
                if ((int)response.StatusCode == 200)
                {
                    Interlocked.Increment(ref _ok);
                }
                else
                {
                    Failures.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} HTTP {(int)response.StatusCode}");
                }

                if (_pause > TimeSpan.Zero)
                {
                    await Task.Delay(_pause, _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Failures.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}");
            }
        }
    }
}

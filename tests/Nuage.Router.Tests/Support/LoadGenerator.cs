using System.Collections.Concurrent;
using System.Diagnostics;

namespace Nuage.Router.Tests.Support;

/// <summary>Bounded concurrent GET load: a fixed number of workers until stopped or a hard time cap.</summary>
internal sealed class LoadGenerator
{
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _workers;
    private int _ok;
    private int _non2xx;
    private int _errors;

    public LoadGenerator(HttpClient client, Uri url, int workers, TimeSpan cap)
    {
        _stop = new CancellationTokenSource(cap);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(client, url)))];
    }

    public int Ok => Volatile.Read(ref _ok);

    public int Non2xx => Volatile.Read(ref _non2xx);

    public int Errors => Volatile.Read(ref _errors);

    public ConcurrentDictionary<string, int> Bodies { get; } = new();

    public ConcurrentQueue<string> Failures { get; } = new();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    /// <summary>Waits until at least <paramref name="count"/> more requests succeeded (bounded by 30 s).</summary>
    public async Task WaitForMoreAsync(int count)
    {
        var target = Ok + count;
        var clock = Stopwatch.StartNew();
        while (Ok < target && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
    }

    private async Task RunAsync(HttpClient client, Uri url)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(url, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _ok);
                    Bodies.AddOrUpdate(body, 1, (_, n) => n + 1);
                }
                else
                {
                    Interlocked.Increment(ref _non2xx);
                    Failures.Enqueue($"{(int)response.StatusCode} {body}");
                }
            }
            catch (HttpRequestException e)
            {
                Interlocked.Increment(ref _errors);
                Failures.Enqueue(e.Message);
            }
        }
    }
}

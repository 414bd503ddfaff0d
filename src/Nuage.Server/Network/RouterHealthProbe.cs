using System.Net;

namespace Nuage.Server.Network;

/// <summary>
/// Asks this machine's router for an answer, as a client would: any HTTP response on its listener within the timeout
/// is healthy (a 404 for an unknown host still proves it accepts, parses and answers). A stopped, hung or absent
/// router is not. An app is asked for through the router too, at its host and health-check path, and must answer 2xx or 3xx.
/// </summary>
internal sealed class RouterHealthProbe(Func<IReadOnlyList<Uri>> addresses, Func<string, AppProbeTarget?> apps) : IDisposable
{
    public const string ProbeHost = "nuage-health.invalid";

    /// <summary>
    /// How long an answer may take. With a probe every 250 ms and two misses to withdraw, a frozen router is withdrawn
    /// within 2 × (250 ms + 600 ms) = 1.7 s plus the UPDATE's trip, inside the 3 s the edge promises.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(600);

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout,
    };

    public Task<(bool Healthy, string Detail)> CheckAsync(CancellationToken cancellationToken) =>
        AskAsync(ProbeHost, "/", _ => true, cancellationToken);

    /// <summary>Whether <paramref name="app"/> has a route on this machine's router at all.</summary>
    public bool Routes(string app) => apps(app) is not null;

    public async Task<(bool Healthy, string Detail)> CheckAppAsync(string app, CancellationToken cancellationToken)
    {
        if (apps(app) is not { } target)
        {
            return (false, $"no app named {app} is routed on this machine");
        }

        var (healthy, detail) = await AskAsync(target.Host, target.Path, status => status is >= 200 and < 400, cancellationToken);
        return (healthy, $"app {app} {detail}");
    }

    private async Task<(bool Healthy, string Detail)> AskAsync(string host, string path, Func<int, bool> healthy, CancellationToken cancellationToken)
    {
        var address = addresses().FirstOrDefault();
        if (address is null)
        {
            return (false, "the router has no HTTP listener yet");
        }

        var target = new UriBuilder(address) { Host = Loopback(address.Host), Path = path }.Uri;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.Host = host;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return (healthy((int)response.StatusCode), $"answered {(int)response.StatusCode} on {address}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (false, e is TaskCanceledException ? $"no answer on {address} within {Timeout.TotalMilliseconds:0} ms" : $"{address}: {e.Message}");
        }
    }

    /// <summary>A wildcard listener is probed on loopback (the same socket accepts both).</summary>
    private static string Loopback(string host) => host switch
    {
        "0.0.0.0" or "+" or "*" => IPAddress.Loopback.ToString(),
        "[::]" or "::" => "[::1]",
        _ => host,
    };

    public void Dispose() => _http.Dispose();
}

/// <summary>Where an app answers through the router: its host name and its first health-check path.</summary>
internal sealed record AppProbeTarget(string Host, string Path);

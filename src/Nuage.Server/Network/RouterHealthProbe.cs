using System.Net;

namespace Nuage.Server.Network;

/// <summary>
/// Asks this machine's router for an answer, as a client would: any HTTP response on its listener within the timeout
/// is healthy (a 404 for an unknown host still proves it accepts, parses and answers). A stopped, hung or absent
/// router is not.
/// </summary>
internal sealed class RouterHealthProbe(Func<IReadOnlyList<Uri>> addresses) : IDisposable
{
    public const string ProbeHost = "nuage-health.invalid";

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromMilliseconds(800), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromMilliseconds(800),
    };

    public async Task<(bool Healthy, string Detail)> CheckAsync(CancellationToken cancellationToken)
    {
        var address = addresses().FirstOrDefault();
        if (address is null)
        {
            return (false, "the router has no HTTP listener yet");
        }

        var target = new UriBuilder(address) { Host = Loopback(address.Host), Path = "/" }.Uri;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.Host = ProbeHost;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return (true, $"answered {(int)response.StatusCode} on {address}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (false, e is TaskCanceledException ? $"no answer on {address} within 800 ms" : $"{address}: {e.Message}");
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

using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Errors;
using Nuage.Server.Api;

namespace Nuage.Server.Oidc;

/// <summary>
/// Caps how many sign-ins one client address may start per window (fixed window, <see cref="OidcOptions.StartLimit"/>
/// per <see cref="OidcOptions.StartWindow"/>). The start endpoints are anonymous and each start costs a call to the
/// issuer and a pending entry, so without this one address could fill the pending table (and lock everyone out) or
/// use the server to flood the issuer. Over the limit the answer is 429 with <c>Retry-After</c>.
/// </summary>
internal sealed class OidcStartLimiter(OidcOptions options, TimeProvider time)
{
    /// <summary>Bounds memory: past this many tracked addresses, finished windows are forgotten.</summary>
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>Counts a start from the request's address; throws (429, Retry-After set) when it is over the limit.</summary>
    public void Check(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var now = time.GetUtcNow();
        if (_windows.Count >= MaxTracked)
        {
            Prune(now);
        }

        var window = _windows.AddOrUpdate(address,
            _ => new Window(now, 1),
            (_, current) => now >= current.Start + options.StartWindow ? new Window(now, 1) : current with { Count = current.Count + 1 });
        if (window.Count > options.StartLimit)
        {
            var retry = (int)Math.Ceiling((window.Start + options.StartWindow - now).TotalSeconds);
            http.Items[Problems.RetryAfterKey] = Math.Max(1, retry);
            throw new NuageException(ErrorKind.RateLimited, ErrorCodes.OidcRateLimited,
                $"{address} started more than {options.StartLimit} sign-ins in {options.StartWindow.TotalSeconds:0} s; retry in {Math.Max(1, retry)} s.");
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, window) in _windows)
        {
            if (now >= window.Start + options.StartWindow)
            {
                _windows.TryRemove(address, out _);
            }
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count);
}

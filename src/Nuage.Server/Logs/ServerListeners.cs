using System.Collections.Immutable;
using System.Net;

namespace Nuage.Server.Logs;

/// <summary>The addresses this server listens on (API, router), which drains must never send to. Filled as listeners bind.</summary>
internal sealed class ServerListeners
{
    private ImmutableArray<IPEndPoint> _endpoints = [];

    public IEnumerable<IPEndPoint> Endpoints => _endpoints;

    public void Add(IPEndPoint endpoint) => ImmutableInterlocked.Update(ref _endpoints, list => list.Add(endpoint));

    /// <summary>A bound address such as http://127.0.0.1:8080/ or http://[::]:8080/.</summary>
    public void Add(Uri address)
    {
        if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            Add(new IPEndPoint(ip, address.Port));
        }
        else
        {
            Add(new IPEndPoint(IPAddress.Any, address.Port)); // A name (e.g. localhost): judge by port on every local address.
        }
    }
}

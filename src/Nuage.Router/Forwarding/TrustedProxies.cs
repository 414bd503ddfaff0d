using System.Net;

namespace Nuage.Router.Forwarding;

/// <summary>Peers whose forwarding headers are believed (<see cref="RouterOptions.TrustedProxies"/>).</summary>
internal sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    public TrustedProxies(IReadOnlyList<string> entries)
    {
        _networks = [.. entries.Select(e => RouterOptions.TryParseNetwork(e, out var n) ? n : throw new ArgumentException($"invalid trusted proxy {e}", nameof(entries)))];
    }

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Globalization;
using System.Net;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using AddressFamily = Nuage.Bgp.Wire.AddressFamily;

namespace Nuage.Server.Network;

/// <summary>
/// Checks network configuration when it is set, as a careful operator would: every refusal names the field, the value
/// and what is accepted; what is allowed but usually a mistake (a private AS, a prefix most networks filter) is a warning.
/// </summary>
internal static partial class NetworkValidation
{
    private const uint AsTrans = 23456;

    public static (PeerConfig Peer, List<string> Warnings) Peer(BgpPeerDto dto)
    {
        var errors = new List<FieldError>();
        var warnings = new List<string>();
        var address = Address(errors, "address", dto.Address, required: true);
        if (address is not null && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address)))
        {
            errors.Add(new("address", dto.Address, "use the neighbour's unicast address"));
        }

        var remoteAs = Asn(errors, warnings, "remoteAs", dto.RemoteAs);
        var localAs = Asn(errors, warnings, "localAs", dto.LocalAs);
        var local = Address(errors, "localAddress", dto.LocalAddress, required: false);
        if (local is not null && address is not null && local.AddressFamily != address.AddressFamily)
        {
            errors.Add(new("localAddress", dto.LocalAddress, $"use an address of the same family as the peer's ({address})"));
        }

        var routerId = Address(errors, "routerId", dto.RouterId, required: false) ?? (local?.AddressFamily == Sockets.InterNetwork ? local : null);
        if (routerId is null && !errors.Any(e => e.Field == "routerId"))
        {
            errors.Add(new("routerId", dto.RouterId, "give --router-id (an IPv4 address unique to this machine), or an IPv4 --local-address it defaults to"));
        }
        else if (routerId is not null && (routerId.AddressFamily != Sockets.InterNetwork || routerId.Equals(IPAddress.Any)))
        {
            errors.Add(new("routerId", dto.RouterId, "use a non-zero IPv4 address (BGP identifiers are 32 bits)"));
        }

        var port = dto.Port ?? 179;
        if (port is < 1 or > 65535)
        {
            errors.Add(new("port", Text(port), "use a TCP port from 1 to 65535"));
        }

        var hold = dto.HoldTime ?? 90;
        if (hold is 1 or 2 or < 0 or > 65535)
        {
            errors.Add(new("holdTime", Text(hold), "use 0 (no keepalives) or 3 to 65535 seconds (RFC 4271)"));
        }

        var families = new List<AddressFamily>();
        foreach (var name in dto.Families is { Count: > 0 } f ? f : ["ipv4"])
        {
            switch (name.Trim().ToLowerInvariant())
            {
                case "ipv4": families.Add(AddressFamily.IPv4Unicast); break;
                case "ipv6": families.Add(AddressFamily.IPv6Unicast); break;
                default: errors.Add(new("families", name, "use ipv4 and/or ipv6 (unicast)")); break;
            }
        }

        var hop4 = Address(errors, "nextHopV4", dto.NextHopV4, required: false);
        if (hop4 is not null && hop4.AddressFamily != Sockets.InterNetwork)
        {
            errors.Add(new("nextHopV4", dto.NextHopV4, "use an IPv4 address"));
        }

        var hop6 = Address(errors, "nextHopV6", dto.NextHopV6, required: false);
        if (hop6 is not null && (hop6.AddressFamily != Sockets.InterNetworkV6 || hop6.IsIPv4MappedToIPv6))
        {
            errors.Add(new("nextHopV6", dto.NextHopV6, "use a global IPv6 address (not IPv4-mapped: peers treat such an update as a withdrawal)"));
        }

        if (families.Contains(AddressFamily.IPv6Unicast) && hop6 is null && address?.AddressFamily == Sockets.InterNetwork)
        {
            errors.Add(new("nextHopV6", null, "required to announce IPv6 over an IPv4 session (the session's own address cannot be an IPv6 next hop)"));
        }

        if (families.Contains(AddressFamily.IPv4Unicast) && hop4 is null && address?.AddressFamily == Sockets.InterNetworkV6)
        {
            errors.Add(new("nextHopV4", null, "required to announce IPv4 over an IPv6 session"));
        }

        if (dto.Namespace is { } ns && (!NamespaceName().IsMatch(ns) || !File.Exists(NetworkNamespace.PathOf(ns))))
        {
            errors.Add(new("namespace", ns, NamespaceName().IsMatch(ns)
                ? $"no network namespace of that name ({NetworkNamespace.PathOf(ns)} is missing); create it with 'ip netns add' first, or leave it unset"
                : "use the name of a network namespace made with 'ip netns add' (letters, digits, '.', '_', '-')"));
        }

        var prepend = dto.Prepend ?? 0;
        if (prepend is < 0 or > 10)
        {
            errors.Add(new("prepend", Text(prepend), "use 0 to 10 extra copies of the local AS"));
        }

        var med = Unsigned(errors, "med", dto.Med);
        var localPref = Unsigned(errors, "localPref", dto.LocalPref);
        if (!string.IsNullOrEmpty(dto.Password))
        {
            errors.Add(new("password", "(hidden)", "TCP-MD5 (RFC 2385) is not supported by Nuage's speaker yet; protect the session with a firewall rule or GTSM on the peer (docs/bgp.md)"));
        }

        if (localPref is not null && remoteAs is not null && remoteAs != localAs)
        {
            warnings.Add("localPref is only sent to internal peers (same AS); this peer is external, so it is ignored.");
        }

        NuageException.ThrowIfInvalid(ErrorCodes.InvalidInput, errors);
        return (new PeerConfig
        {
            Address = address!,
            Port = port,
            RemoteAs = remoteAs!.Value,
            LocalAs = localAs!.Value,
            RouterId = routerId!,
            LocalAddress = local,
            Namespace = dto.Namespace,
            HoldTime = (ushort)hold,
            Families = families,
            NextHopV4 = hop4,
            NextHopV6 = hop6,
            Med = med,
            LocalPref = localPref,
            Prepend = prepend,
        }, warnings);
    }

    private static uint? Asn(List<FieldError> errors, List<string> warnings, string field, long? value)
    {
        if (value is null)
        {
            errors.Add(new(field, null, "required: an AS number from 1 to 4294967294"));
            return null;
        }

        if (value is < 1 or > 4294967294 || value is AsTrans or 65535)
        {
            errors.Add(new(field, Text(value), value is AsTrans ? "23456 is AS_TRANS (RFC 6793), never a real AS" : "use an AS number from 1 to 4294967294 (0, 65535 and 4294967295 are reserved)"));
            return null;
        }

        if (value is >= 64512 and <= 65534 or >= 4200000000)
        {
            warnings.Add($"{field} {value} is a private AS number (RFC 6996): fine with your own upstream, never seen on the public Internet.");
        }
        else if (value is >= 64496 and <= 64511 or >= 65536 and <= 65551)
        {
            warnings.Add($"{field} {value} is reserved for documentation (RFC 5398).");
        }

        return (uint)value;
    }

    private static uint? Unsigned(List<FieldError> errors, string field, long? value)
    {
        if (value is < 0 or > uint.MaxValue)
        {
            errors.Add(new(field, Text(value), "use 0 to 4294967295"));
            return null;
        }

        return value is null ? null : (uint)value;
    }

    private static IPAddress? Address(List<FieldError> errors, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(new(field, value, "required: an IPv4 or IPv6 address"));
            }

            return null;
        }

        if (IPAddress.TryParse(value.Trim(), out var address) && !value.Contains('/', StringComparison.Ordinal))
        {
            return address;
        }

        errors.Add(new(field, value, "use an IPv4 or IPv6 address, such as 192.0.2.1 or 2001:db8::1"));
        return null;
    }

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == Sockets.InterNetwork ? (address.GetAddressBytes()[0] & 0xF0) == 0xE0 || address.Equals(IPAddress.Broadcast) : address.IsIPv6Multicast;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex NamespaceName();

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static class Sockets
    {
        public const System.Net.Sockets.AddressFamily InterNetwork = System.Net.Sockets.AddressFamily.InterNetwork;
        public const System.Net.Sockets.AddressFamily InterNetworkV6 = System.Net.Sockets.AddressFamily.InterNetworkV6;
    }
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Nuage.Logs.Drains.Transports;

namespace Nuage.Logs.Drains.Network;

/// <summary>
/// Where a drain may send: public addresses only, unless the operator allows private and loopback receivers
/// (<see cref="DrainOptions.AllowPrivateDestinations"/>). Never link-local (cloud metadata), unspecified, multicast,
/// reserved, nor this server's own listeners. Checked when a drain is created (literal IPs and names) and again on
/// every connect, after DNS resolution, so a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
internal sealed class DrainDestinationPolicy(DrainOptions options)
{
    private static readonly IPNetwork[] AlwaysRefused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fec0::/10"),
    ];

    /// <summary>Why <paramref name="address"/>:<paramref name="port"/> is refused, or null when a drain may send there.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        address = Unwrap(address);
        if (IsOwnListener(address, port))
        {
            return $"{Show(address, port)} is a listener of this Nuage server; a drain cannot send to the platform itself";
        }

        if (AlwaysRefused.Any(n => n.Contains(address)) || address.Equals(IPAddress.Broadcast))
        {
            return $"{address} is a link-local, unspecified, multicast or reserved address; drains send to public receivers only";
        }

        if (options.AllowPrivateDestinations)
        {
            return null;
        }

        if (IPAddress.IsLoopback(address) || IsLocalInterface(address))
        {
            return $"{address} is this machine (loopback or one of its own addresses); {AllowHint}";
        }

        return Private.Any(n => n.Contains(address)) ? $"{address} is a private address; {AllowHint}" : null;
    }

    private const string AllowHint = "drains send to public receivers only unless the operator starts the server with --allow-private-drains";

    /// <summary>The creation-time check: literal IPs and names (every address a name resolves to must be allowed).</summary>
    public async Task<string?> CheckAsync(Uri uri, CancellationToken ct)
    {
        var port = uri.Port;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            return Refusal(literal, port);
        }

        if (IsLocalhostName(uri.IdnHost))
        {
            return Refusal(IPAddress.Loopback, port) is { } reason ? $"{uri.IdnHost} names this machine: {reason}" : null;
        }

        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null; // Not resolvable yet: every connect checks the addresses it resolves to.
        }

        return addresses.Select(a => Refusal(a, port)).FirstOrDefault(r => r is not null) is { } refusal ? $"{uri.IdnHost} resolves to {refusal}" : null;
    }

    /// <summary>Resolves <paramref name="host"/>, drops refused addresses, and connects to the first allowed one that answers.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, SocketType socketType, ProtocolType protocol, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal]
            : IsLocalhostName(host) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : await ResolveAsync(host, ct);
        string? refusal = null;
        Exception? failure = null;
        foreach (var address in addresses)
        {
            if (Refusal(address, port) is { } reason)
            {
                refusal ??= reason;
                continue;
            }

            var socket = new Socket(address.AddressFamily, socketType, protocol);
            try
            {
                if (protocol == ProtocolType.Tcp)
                {
                    socket.NoDelay = false;
                }

                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failure = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (failure is not null)
        {
            throw new DrainDeliveryException($"{host}:{port}: connection failed", failure);
        }

        throw new DrainDeliveryException($"destination refused: {host} resolves to {refusal ?? "no address"}");
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException ex)
        {
            throw new DrainDeliveryException($"{host}: the name does not resolve", ex);
        }
    }

    private bool IsOwnListener(IPAddress address, int port)
    {
        foreach (var listener in options.OwnEndpoints())
        {
            if (listener.Port != port)
            {
                continue;
            }

            var bound = Unwrap(listener.Address);
            if (bound.Equals(address) || IPAddress.IsLoopback(address) || IsLocalInterface(address)
                || bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLocalInterface(IPAddress address)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(u => Unwrap(u.Address).Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.Equals("localhost.", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost.", StringComparison.OrdinalIgnoreCase);

    /// <summary>IPv4 carried in IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 address it reaches.</summary>
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (IPNetwork.Parse("64:ff9b::/96").Contains(address))
            {
                return new IPAddress(bytes.AsSpan(12, 4));
            }

            if (bytes[0] == 0x20 && bytes[1] == 0x02)
            {
                return new IPAddress(bytes.AsSpan(2, 4));
            }

            if (IPNetwork.Parse("::/96").Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
            {
                return new IPAddress(bytes.AsSpan(12, 4)); // IPv4-compatible (deprecated) form.
            }
        }

        return address;
    }

    private static string Show(IPAddress address, int port) => new IPEndPoint(address, port).ToString();
}

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nuage.Runtime.Networking;

/// <summary>
/// The private IPv4 range instance networks are carved from: one point-to-point /31 per instance, the even address
/// on the host's end of the veth pair (what the app sees as the router), the odd one inside the instance.
/// </summary>
internal sealed record AddressPool(uint Network, int PrefixLength)
{
    public const string Default = "10.213.0.0/16";

    /// <summary>How many instance networks fit (the first and last /31 are left out).</summary>
    public int Capacity => (int)Math.Min(int.MaxValue, (1L << (32 - PrefixLength)) / 2 - 2);

    public string Cidr => string.Create(CultureInfo.InvariantCulture, $"{Format(Network)}/{PrefixLength}");

    /// <summary>Parses <c>a.b.c.d/n</c> (n from 8 to 29, host bits zero); null with <paramref name="error"/> otherwise.</summary>
    public static AddressPool? TryParse(string? text, out string? error)
    {
        error = null;
        var parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            error = "must be an IPv4 range in CIDR form, e.g. " + Default + ".";
            return null;
        }

        if (prefix is < 8 or > 29)
        {
            error = "the prefix length must be between 8 and 29 (room for at least two instances).";
            return null;
        }

        var network = ToUInt(ip);
        var mask = uint.MaxValue << (32 - prefix);
        if ((network & ~mask) != 0)
        {
            error = $"has host bits set; the range starts at {Format(network & mask)}/{prefix}.";
            return null;
        }

        return new AddressPool(network, prefix);
    }

    /// <summary>The instance (odd) address of slot <paramref name="slot"/> (1 … Capacity).</summary>
    public string InstanceAddress(int slot) => Format(Network + (uint)(slot * 2) + 1);

    public bool Contains(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork
        && (ToUInt(ip) & (uint.MaxValue << (32 - PrefixLength))) == Network;

    /// <summary>The host's end of an instance's /31: the instance address minus one.</summary>
    public static string HostAddress(string instanceAddress) => Format(ToUInt(IPAddress.Parse(instanceAddress)) - 1);

    /// <summary>The instance address as 8 hex digits: names its netns and host interface.</summary>
    public static string Hex(string instanceAddress) => ToUInt(IPAddress.Parse(instanceAddress)).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>True for an odd (instance-side) IPv4 address.</summary>
    public static bool IsInstanceAddress(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && (ToUInt(ip) & 1) == 1;

    private static uint ToUInt(IPAddress ip) => BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());

    private static string Format(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}

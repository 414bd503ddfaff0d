namespace Nuage.Runtime.Networking;

/// <summary>The shell and nftables text that builds and tears down instance networks (run as root).</summary>
internal static class NetworkScripts
{
    /// <summary>Interface names of instances start with this (host end: "nuage" + 8 hex digits, 13 characters).</summary>
    public const string InterfacePrefix = "nuage";

    /// <summary>
    /// Arguments: netns name, host interface, host address, instance address, port (or ""). Replaces whatever a
    /// previous run left under those names, then: netns, veth pair (eth0 inside), /31 on both ends, default route via
    /// the host end and, for a web instance, a DNAT of the port to 127.0.0.1 so apps listening on loopback answer.
    /// </summary>
    public const string Create = """
        set -e
        ns=$1; hif=$2; haddr=$3; addr=$4; port=$5
        ip netns delete "$ns" 2>/dev/null || true
        ip link delete "$hif" 2>/dev/null || true
        ip netns add "$ns"
        ip link add "$hif" type veth peer name eth0 netns "$ns"
        ip addr add "$haddr/31" dev "$hif"
        ip link set "$hif" up
        ip -n "$ns" link set lo up
        ip -n "$ns" addr add "$addr/31" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" route add default via "$haddr"
        if [ -n "$port" ]; then
          nsenter --net="/run/netns/$ns" sh -c 'echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet'
          printf 'table ip nuage {\n chain prerouting {\n  type nat hook prerouting priority dstnat; policy accept;\n  iifname "eth0" tcp dport %s dnat to 127.0.0.1\n }\n}\n' "$port" \
            | nsenter --net="/run/netns/$ns" nft -f -
        fi
        """;

    /// <summary>Arguments: netns name, host interface. Idempotent.</summary>
    public const string Remove = """
        ip netns delete "$1" 2>/dev/null
        ip link delete "$2" 2>/dev/null
        exit 0
        """;

    /// <summary>Checks that a netns and a veth pair can be made here; turns IPv4 forwarding on. Argument: a probe name.</summary>
    public const string Probe = """
        set -e
        ns="nuage-probe-$1"
        trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT
        ip netns add "$ns"
        ip -n "$ns" link add probe0 type veth peer name probe1
        echo 1 > /proc/sys/net/ipv4/ip_forward
        """;

    /// <summary>Private, shared and special-use IPv4 ranges instances may not reach (the host's LAN, cloud metadata, …).</summary>
    internal static readonly string[] BlockedRanges =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3",
    ];

    /// <summary>
    /// The host's table, replaced atomically: from instance interfaces nothing reaches the host but replies, nothing
    /// reaches another instance, the pool or a private range (except DNS to the host's name servers), and everything
    /// else is forwarded with masquerade. IPv6 from instances is dropped (they have no IPv6 route).
    /// </summary>
    public static string HostRuleset(string table, AddressPool pool, IReadOnlyList<string> nameServers)
    {
        var nic = $"\"{InterfacePrefix}*\"";
        var dns = nameServers.Count == 0
            ? string.Empty
            : $"  iifname {nic} ip daddr {{ {string.Join(", ", nameServers)} }} meta l4proto {{ tcp, udp }} th dport 53 accept\n";
        return $$"""
            table inet {{table}}
            delete table inet {{table}}
            table inet {{table}} {
             set {{FlowSet}} {
              type ipv4_addr . ipv4_addr . inet_service
             }
             chain input {
              type filter hook input priority filter; policy accept;
              iifname {{nic}} ct state established,related accept
              iifname {{nic}} drop
             }
             chain forward {
              type filter hook forward priority filter; policy accept;
              iifname {{nic}} oifname {{nic}} ip saddr . ip daddr . tcp dport @{{FlowSet}} accept
              oifname {{nic}} ct state established,related accept
              oifname {{nic}} drop
              iifname {{nic}} meta nfproto != ipv4 drop
            {{dns}}  iifname {{nic}} ip daddr {{pool.Cidr}} drop
              iifname {{nic}} ip daddr { {{string.Join(", ", BlockedRanges)}} } drop
              iifname {{nic}} accept
             }
             chain postrouting {
              type nat hook postrouting priority srcnat; policy accept;
              ip saddr {{pool.Cidr}} oifname != {{nic}} masquerade
             }
            }

            """;
    }

    /// <summary>The nftables set of allowed instance-to-instance flows (source . destination . port), e.g. apps to their add-ons.</summary>
    public const string FlowSet = "flows";

    /// <summary>Replaces the elements of the flow set in one transaction.</summary>
    public static string Flows(string table, IEnumerable<(string From, string To, int Port)> flows)
    {
        var elements = flows.Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.From} . {f.To} . {f.Port}")).ToList();
        var text = $"flush set inet {table} {FlowSet}\n";
        return elements.Count == 0 ? text : text + $"add element inet {table} {FlowSet} {{ {string.Join(", ", elements)} }}\n";
    }

    /// <summary>The IPv4 name servers of /etc/resolv.conf that are not loopback (those could not be reached from a netns anyway).</summary>
    public static IReadOnlyList<string> NameServers(string resolvConf = "/etc/resolv.conf")
    {
        try
        {
            return [.. File.ReadLines(resolvConf)
                .Select(l => l.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 2 && p[0] == "nameserver"
                    && System.Net.IPAddress.TryParse(p[1], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    && !System.Net.IPAddress.IsLoopback(ip))
                .Select(p => p[1])
                .Distinct(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

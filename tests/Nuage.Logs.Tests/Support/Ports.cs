using System.Net;
using System.Net.Sockets;

namespace Nuage.Logs.Tests.Support;

internal static class Ports
{
    /// <summary>A loopback port that was free a moment ago (for daemons that cannot report the port they bound).</summary>
    public static int Free(ProtocolType protocol = ProtocolType.Tcp)
    {
        if (protocol == ProtocolType.Udp)
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

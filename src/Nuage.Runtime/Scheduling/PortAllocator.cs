using System.Net;
using System.Net.Sockets;
using Nuage.Core.Errors;

namespace Nuage.Runtime.Scheduling;

/// <summary>Picks free loopback ports by letting the kernel choose (bind to port 0), skipping ports already handed out.</summary>
internal static class PortAllocator
{
    private const int Attempts = 100;

    public static int Allocate(IReadOnlySet<int> taken)
    {
        for (var i = 0; i < Attempts; i++)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            if (!taken.Contains(port))
            {
                return port;
            }
        }

        throw new NuageException(ErrorKind.Failed, ErrorCodes.NoFreePort, $"No free loopback port found in {Attempts} attempts.");
    }
}

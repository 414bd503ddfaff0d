using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Nuage.Router.Standalone;

/// <summary>The process on the other end of a connected Unix socket (SO_PEERCRED), and this process's effective uid.</summary>
internal static class UnixPeer
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>pid and uid of the peer (struct ucred: pid, uid, gid as 32-bit integers).</summary>
    public static (int Pid, uint Uid) Credentials(Socket socket)
    {
        Span<byte> credentials = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length < 12)
        {
            throw new IOException("cannot read the peer credentials of the router control socket");
        }

        return (MemoryMarshal.Read<int>(credentials), MemoryMarshal.Read<uint>(credentials[4..]));
    }

    /// <summary>This process's effective uid (the second value of the <c>Uid:</c> line of /proc/self/status).</summary>
    public static uint EffectiveUid { get; } = ReadEffectiveUid();

    private static uint ReadEffectiveUid()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return uint.Parse(line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}

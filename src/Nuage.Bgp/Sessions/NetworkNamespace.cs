using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Nuage.Bgp.Sessions;

/// <summary>
/// Sockets opened inside a named network namespace (<c>/run/netns/NAME</c>, as <c>ip netns add</c> makes them), for hosts
/// that keep their uplink in a namespace of its own. A socket belongs to the namespace it was created in for its whole
/// life, so only the creation runs on a short-lived thread moved into the namespace (setns changes the calling thread only).
/// </summary>
public static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Where <c>ip netns</c> keeps the namespace called <paramref name="name"/>.</summary>
    public static string PathOf(string name) => Path.Combine("/run/netns", name);

    /// <summary>A new TCP socket in namespace <paramref name="name"/>, or in this process's own when it is null.</summary>
    public static Socket TcpSocket(string? name, System.Net.Sockets.AddressFamily family)
    {
        if (name is null)
        {
            return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }

        Socket? created = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(PathOf(name));
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"cannot enter network namespace {name}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }

                created = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
            {
                failure = e is FileNotFoundException or DirectoryNotFoundException
                    ? new IOException($"network namespace {name} does not exist ({PathOf(name)})", e)
                    : e;
            }
        })
        { IsBackground = true, Name = "netns " + name };
        thread.Start();
        thread.Join(); // the thread ends inside the namespace; nothing else ever runs on it
        return created ?? throw (failure is IOException io ? io : new IOException(failure?.Message, failure));
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}

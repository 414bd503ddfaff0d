using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Nuage.Router.Standalone;

/// <summary>The server's end of the control socket: one request per connection, answered only by a router with the server's own uid.</summary>
public sealed class RouterControlClient(string socketPath)
{
    public string SocketPath { get; } = socketPath;

    /// <summary>Sends <paramref name="request"/>; throws IOException (or SocketException) when no router answers, and a NuageException for a link in place of the socket.</summary>
    public async Task<(RouterReply Reply, int PeerPid)> SendAsync(RouterRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RouterControlSocket.RefuseLink(SocketPath);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), deadline.Token);
            var (pid, uid) = UnixPeer.Credentials(socket);
            if (uid != UnixPeer.EffectiveUid)
            {
                throw new IOException($"the router control socket {SocketPath} is held by uid {uid}, not this server's; refusing to send routes to it");
            }

            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(request, RouterJson.Options);
            await stream.WriteAsync(bytes, deadline.Token);
            await stream.WriteAsync("\n"u8.ToArray(), deadline.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8, false, 64 * 1024, leaveOpen: true);
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new IOException("the router closed the control connection without answering");
            var reply = JsonSerializer.Deserialize<RouterReply>(line, RouterJson.Options) ?? throw new IOException("the router answered an empty reply");
            return (reply, pid);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"the router did not answer on {SocketPath} within {timeout.TotalSeconds:0.#} s");
        }
        catch (JsonException e)
        {
            throw new IOException($"the router answered something that is not a reply: {e.Message}", e);
        }
    }
}

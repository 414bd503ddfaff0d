using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Nuage.Router.Standalone;

/// <summary>
/// The router process's end of the control socket: a Unix socket, mode 0600 in a root-only folder, answering only peers with
/// this process's own uid. Each connection carries one request line and gets one reply line.
/// </summary>
internal sealed partial class RouterControlServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 64 * 1024 * 1024;

    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<RouterRequest, CancellationToken, Task<RouterReply>> _handle;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private RouterControlServer(Socket listener, string path, Func<RouterRequest, CancellationToken, Task<RouterReply>> handle, ILogger logger)
    {
        _listener = listener;
        _path = path;
        _handle = handle;
        _logger = logger;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Binds <paramref name="path"/> (a stale socket there is replaced; a link there is refused) and starts answering.</summary>
    public static RouterControlServer Start(string path, Func<RouterRequest, CancellationToken, Task<RouterReply>> handle, ILogger logger)
    {
        RouterControlSocket.RefuseLink(path);
        File.Delete(path); // a socket left by a router that died; the caller checked nothing answers on it
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new RouterControlServer(listener, path, handle, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        File.Delete(_path);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                var (pid, uid) = UnixPeer.Credentials(connection);
                await using var stream = new NetworkStream(connection, ownsSocket: false);
                RouterReply reply;
                if (uid != UnixPeer.EffectiveUid)
                {
                    LogRefusedPeer(_logger, pid, uid);
                    reply = new RouterReply(false) { Error = $"uid {uid} may not control the router" };
                }
                else
                {
                    using var reader = new StreamReader(stream, Encoding.UTF8, false, 64 * 1024, leaveOpen: true);
                    var line = await reader.ReadLineAsync(_stop.Token);
                    reply = line is null or { Length: > MaxRequestBytes } || JsonSerializer.Deserialize<RouterRequest>(line, RouterJson.Options) is not { } request
                        ? new RouterReply(false) { Error = "send one JSON request per line" }
                        : await _handle(request, _stop.Token);
                }

                var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, RouterJson.Options);
                await stream.WriteAsync(bytes, _stop.Token);
                await stream.WriteAsync("\n"u8.ToArray(), _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or JsonException or OperationCanceledException)
            {
                LogRequestFailed(_logger, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 5320, Level = LogLevel.Warning, Message = "Refused a control connection from pid {Pid} (uid {Uid}): only the router's own uid may send routes")]
    private static partial void LogRefusedPeer(ILogger logger, int pid, uint uid);

    [LoggerMessage(EventId = 5321, Level = LogLevel.Warning, Message = "A control request failed: {Error}")]
    private static partial void LogRequestFailed(ILogger logger, string error);
}

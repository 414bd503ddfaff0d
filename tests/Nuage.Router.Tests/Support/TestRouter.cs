using System.Net;
using System.Net.Sockets;
using System.Text;
using Nuage.Core.Routing;

namespace Nuage.Router.Tests.Support;

/// <summary>A real <see cref="NuageRouter"/> on 127.0.0.1:0, and clients that reach it under any host name.</summary>
internal sealed class TestRouter : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private TestRouter(NuageRouter router, MemoryLogSink sink)
    {
        Router = router;
        Sink = sink;
        Port = router.HttpAddresses[0].Port;
    }

    public NuageRouter Router { get; }

    public MemoryLogSink Sink { get; }

    public int Port { get; }

    public static async Task<TestRouter> StartAsync(RouterOptions? options = null)
    {
        options ??= new RouterOptions();
        options = options with { HttpEndpoints = ["127.0.0.1:0"] };
        var sink = new MemoryLogSink();
        var router = new NuageRouter(options, sink);
        await router.StartAsync(CancellationToken.None);
        return new TestRouter(router, sink);
    }

    public static AppRoute Route(string name, params TestBackend[] backends) =>
        new($"app-{name}", name, RouteState.Serving, $"dep-{name}", [.. backends.Select(b => b.Endpoint)]);

    public Uri Url(string host, string path = "/") => new($"http://{host}:{Port}{path}");

    /// <summary>An HttpClient whose connections all go to the router, whatever host the URL names (like DNS for *.localhost).</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient(CreateHandler()) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _clients.Add(client);
        return client;
    }

    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>Sends raw bytes on a fresh connection and returns everything the router answered until it closed or went idle.</summary>
    public async Task<string> SendRawAsync(string request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // Connection kept open (keep-alive): what arrived so far is the answer.
        }
        catch (SocketException)
        {
            // Reset by the server after answering.
        }

        return received.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Router.DisposeAsync();
    }
}

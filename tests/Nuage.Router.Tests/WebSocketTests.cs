using System.Net.WebSockets;
using System.Text;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class WebSocketTests
{
    [Fact]
    public async Task WebSocket_ThroughRouter_EchoesMessagesBothWays()
    {
        await using var backend = await TestBackend.StartAsync("ws");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("chat", backend));
        using var invoker = new HttpMessageInvoker(router.CreateHandler());
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri($"ws://chat.localhost:{router.Port}/ws"), invoker, CancellationToken.None);
        var reply = await EchoAsync(socket, "hello");

        Assert.Equal("ws:hello", reply);
        Assert.Equal(1, router.Router.InFlight(backend.Endpoint.InstanceId));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    internal static async Task<string> EchoAsync(ClientWebSocket socket, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}

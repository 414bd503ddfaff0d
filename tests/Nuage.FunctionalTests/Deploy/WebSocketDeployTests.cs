using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>A WebSocket open across a deploy: the old instance is told to stop when draining starts and closes it properly.</summary>
public sealed class WebSocketDeployTests
{
    /// <summary>
    /// A node app doing the WebSocket handshake itself (no package to download): on SIGTERM it sends every socket a
    /// close frame (1001 going away) and exits once the clients have answered with theirs.
    /// </summary>
    private const string App = """
        const http = require("node:http");
        const crypto = require("node:crypto");
        const sockets = new Set();
        let closing = false;
        const server = http.createServer((req, res) => res.end("ok\n"));
        server.on("upgrade", (req, socket) => {
          const accept = crypto.createHash("sha1").update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
          socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n");
          sockets.add(socket);
          socket.on("data", (d) => { if ((d[0] & 0x0f) === 8) socket.end(); });
          socket.on("close", () => { sockets.delete(socket); if (closing && sockets.size === 0) process.exit(0); });
        });
        process.on("SIGTERM", () => {
          closing = true;
          server.close();
          for (const s of sockets) s.write(Buffer.from([0x88, 0x02, 0x03, 0xe9]));
          if (sockets.size === 0) process.exit(0);
        });
        server.listen(Number(process.env.PORT || 8080), "127.0.0.1");
        """;

    [Fact]
    public async Task Redeploy_WithWebSocketOpen_SucceedsBeforeTheDrainEnds_AndTheOldInstanceSendsACloseFrame()
    {
        await using var server = await RunningServer.StartAsync();
        var source = Path.Combine(server.Scratch, "ws-app");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "package.json"), """{"name":"ws-app","version":"1.0.0","private":true,"main":"index.js"}""");
        await File.WriteAllTextAsync(Path.Combine(source, "index.js"), App);
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", source);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Server.RouterAddress.Host, server.Server.RouterAddress.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /socket HTTP/1.1\r\nHost: web.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var handshake = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101", handshake, StringComparison.Ordinal);

        using var http = server.Http();
        using var redeploy = await http.PostAsync("v1/apps/web/redeploy", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.True(redeploy.IsSuccessStatusCode, await redeploy.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await redeploy.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // Succeeded while our socket to the old instance is still open: the deployment did not wait for the drain.
        var done = await Deployer.WaitAsync(http, "web", id, settled: false);
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.DoesNotContain(done.GetProperty("stages").EnumerateArray(), s => s.GetProperty("name").GetString() == "retire" && s.GetProperty("state").GetString() != "running");

        // The old instance got SIGTERM when draining started and closes the socket with a close frame (not 1006).
        var frame = new byte[4];
        await stream.ReadExactlyAsync(frame).AsTask().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal([0x88, 0x02, 0x03, 0xe9], frame);

        // Our close frame (masked, code 1000); then the old instance exits and the retire stage ends.
        byte[] mask = [1, 2, 3, 4];
        await stream.WriteAsync(new byte[] { 0x88, 0x82, 1, 2, 3, 4, (byte)(0x03 ^ mask[0]), (byte)(0xe8 ^ mask[1]) });
        var settled = await Deployer.WaitAsync(http, "web", id);
        var retire = settled.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "retire");
        Assert.Equal("succeeded", retire.GetProperty("state").GetString());
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "web")).Status);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}

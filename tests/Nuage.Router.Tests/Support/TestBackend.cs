using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nuage.Core.Routing;

namespace Nuage.Router.Tests.Support;

/// <summary>A real Kestrel app instance on 127.0.0.1:0 that answers with its name, plus endpoints the tests need.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;
    private int _notModified;

    private TestBackend(string name, WebApplication app, int port)
    {
        Name = name;
        _app = app;
        Port = port;
        Endpoint = new InstanceEndpoint($"{name}-{port}", 1, $"127.0.0.1:{port}");
    }

    public string Name { get; }

    public int Port { get; }

    public InstanceEndpoint Endpoint { get; }

    public int Hits => Volatile.Read(ref _hits);

    /// <summary>The ETag <c>/cache?etag=@</c> answers with (a test changes it to model a changed resource).</summary>
    public string Version { get; set; } = "v1";

    /// <summary>304 answers to conditional requests on <c>/cache</c>.</summary>
    public int NotModified => Volatile.Read(ref _notModified);

    /// <summary>Paths of every request received.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

    /// <summary>Status answered on /health.</summary>
    public int HealthStatus { get; set; } = 200;

    public static async Task<TestBackend> StartAsync(string name, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        TestBackend? backend = null;
        app.UseWebSockets();
        app.Run(context => backend!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend = new TestBackend(name, app, new Uri(address).Port);
        return backend;
    }

    /// <summary>Graceful stop: in-flight requests finish, listening ends.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>Fault injection: stops at once, aborting open connections, like a killed process.</summary>
    public Task KillAsync() => _app.StopAsync(new CancellationToken(canceled: true));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _hits);
        var request = context.Request;
        Paths.Enqueue(request.Path.Value ?? string.Empty);
        switch (request.Path.Value)
        {
            case "/health":
                context.Response.StatusCode = HealthStatus;
                await context.Response.WriteAsync("health");
                return;
            case "/slow":
                var ms = int.Parse(request.Query["ms"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
                await Task.Delay(ms, context.RequestAborted);
                await context.Response.WriteAsync(Name);
                return;
            case "/cache":
                // Cache tests: ?cc=Cache-Control&etag=E (@ = Version)&lm=1&vary=H&cookie=1&size=N; answers 304 to a matching
                // If-None-Match, or (lm=1, a fixed Last-Modified) to an If-Modified-Since equal to it.
                var query = request.Query;
                if (query["cc"].ToString() is { Length: > 0 } cc)
                {
                    context.Response.Headers.CacheControl = cc;
                }

                if (query["vary"].ToString() is { Length: > 0 } vary)
                {
                    context.Response.Headers.Vary = vary;
                }

                if (query["etag"].ToString() is { Length: > 0 } etag)
                {
                    etag = etag == "@" ? Version : etag;
                    context.Response.Headers.ETag = $"\"{etag}\"";
                    if (request.Headers.IfNoneMatch.ToString() == $"\"{etag}\"")
                    {
                        Interlocked.Increment(ref _notModified);
                        context.Response.StatusCode = StatusCodes.Status304NotModified;
                        return;
                    }
                }

                if (query["lm"] == "1")
                {
                    const string lastModified = "Tue, 01 Dec 2026 00:00:00 GMT";
                    context.Response.Headers.LastModified = lastModified;
                    if (request.Headers.IfModifiedSince.ToString() == lastModified)
                    {
                        Interlocked.Increment(ref _notModified);
                        context.Response.StatusCode = StatusCodes.Status304NotModified;
                        return;
                    }
                }

                if (query["cookie"] == "1")
                {
                    context.Response.Headers.SetCookie = "s=1";
                }

                var text = $"{Name}:{Hits}:{request.Headers["X-Variant"]}";
                var size = int.TryParse(query["size"], out var n) ? n : 0;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(text.PadRight(Math.Max(size, text.Length), '.'));
                return;
            case "/headers":
                var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(headers));
                return;
            case "/chunked":
                await context.Response.WriteAsync("hello ");
                await context.Response.Body.FlushAsync();
                await context.Response.WriteAsync(Name);
                return;
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                await EchoAsync(await context.WebSockets.AcceptWebSocketAsync());
                return;
            default:
                context.Response.ContentLength = Encoding.UTF8.GetByteCount(Name);
                await context.Response.WriteAsync(Name);
                return;
        }
    }

    private async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                var reply = Encoding.UTF8.GetBytes($"{Name}:{Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client or the router went away.
        }
    }
}

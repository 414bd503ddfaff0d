using System.Net.Security;
using System.Security.Authentication;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nuage.Router.AccessLog;
using Nuage.Router.Forwarding;
using Nuage.Router.Health;
using Nuage.Router.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace Nuage.Router;

public sealed partial class NuageRouter
{
    /// <summary>Binds the endpoints and starts serving. The bound addresses are in <see cref="HttpAddresses"/> and <see cref="HttpsAddresses"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The router is already started.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(NuageRouter).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(_time);
        builder.Services.AddHttpForwarder();
        // The server owns the process: no Ctrl+C/SIGTERM handling here (the default console lifetime would stop the router on its own).
        builder.Services.AddSingleton<IHostLifetime, HostedByCaller>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = _options.DrainTimeout);
        if (_options.HttpsEndpoints.Count > 0)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true; // per app, opt-in (docs/router.md explains the BREACH caveat)
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = Flow.FlowCompressionProvider.MimeTypes;
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.AddSingleton<IResponseCompressionProvider>(services => new Flow.FlowCompressionProvider(
            _table, new ResponseCompressionProvider(services, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ResponseCompressionOptions>>())));
        // Optional: run requests on the socket I/O thread (the pipeline never blocks; the access log is queued).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = _options.InlineScheduling);
        var app = builder.Build();

        var metrics = new RouterMetrics(() => _table.Current, _meterFactory);
        var accessLog = new AccessLogWriter(_accessLog, _options.AccessLogQueueCapacity, metrics, _logger, _time);
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = _options.BackendConnectTimeout,
            // Below common app keep-alive timeouts (Node.js closes idle sockets after 5 s) so a pooled connection is not reused as it closes.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
        });
        var requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = _options.BackendActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var trustedProxies = new TrustedProxies(_options.TrustedProxies);
        var flowEnvironment = new Flow.FlowEnvironment(trustedProxies, _time, _logger);
        var passive = new PassiveHealth(Health, _options.EjectedProbeInterval, _time, _logger, _stopping.Token);
        var handler = new ProxyHandler(
            _table, app.Services.GetRequiredService<IHttpForwarder>(), client, requestConfig, new ForwardingTransformer(trustedProxies),
            new ErrorPages(_options.RetryAfterSeconds), passive, metrics, accessLog, new StaticFiles.StaticFileHandler(), _challenges, flowEnvironment, _time, _logger, _options.MaxRequestBodyBytes);
        ((IApplicationBuilder)app).UseResponseCompression();
        ((IApplicationBuilder)app).Run(handler.InvokeAsync);

        _running = new Running(metrics, accessLog, client);
        _app = app;
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        HttpAddresses = [.. addresses.Where(a => a.Scheme == Uri.UriSchemeHttp)];
        HttpsAddresses = [.. addresses.Where(a => a.Scheme == Uri.UriSchemeHttps)];
        flowEnvironment.SetHttpsPort(HttpsAddresses.Count > 0 ? HttpsAddresses[0].Port : null);
        LogMessages.Listening(_logger, string.Join(", ", addresses));
    }

    /// <summary>Stops accepting connections and lets requests in flight finish (up to the drain timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync(cancellationToken);
        await _stopping.CancelAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_running is not null)
        {
            await _running.AccessLog.DisposeAsync();
            _running.Client.Dispose();
            _running.Metrics.Dispose();
        }

        _replayedMetrics?.Dispose();
        Health.Dispose();
        _table.Dispose();
        _stopping.Dispose();
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        limits.MaxRequestBodySize = _options.MaxRequestBodyBytes;
        limits.MaxRequestHeadersTotalSize = _options.MaxRequestHeadersTotalBytes;
        limits.MaxRequestHeaderCount = _options.MaxRequestHeaderCount;
        limits.RequestHeadersTimeout = _options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = _options.KeepAliveTimeout;
        limits.Http2.MaxRequestHeaderFieldSize = Math.Max(limits.Http2.MaxRequestHeaderFieldSize, Math.Min(_options.MaxRequestHeadersTotalBytes, 16 * 1024 * 1024));

        foreach (var endpoint in _options.HttpEndpoints)
        {
            RouterOptions.TryParseEndpoint(endpoint, out var address);
            kestrel.Listen(address, listen => listen.Protocols = _options.Http2Cleartext ? HttpProtocols.Http2 : HttpProtocols.Http1);
        }

        foreach (var endpoint in _options.HttpsEndpoints)
        {
            RouterOptions.TryParseEndpoint(endpoint, out var address);
            kestrel.Listen(address, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // TLS-ALPN-01: while a challenge is published, note which clients offer acme-tls/1 (the handshake callback cannot tell).
                listen.Use(next => connection => _challenges.HasTlsAlpn ? Acme.TlsClientHello.PeekAsync(connection, next, _time) : next(connection));
                // Per-handshake options so each domain's certificate goes out with its intermediates (SNI picks the domain).
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context => ValueTask.FromResult(HandshakeOptions(context)),
                });
                // A challenge handshake is all the CA does (RFC 8737 §3): never serve HTTP on it.
                listen.Use(next => connection =>
                    connection.Features.Get<ISslStreamFeature>()?.SslStream.NegotiatedApplicationProtocol == Acme.AcmeTlsAlpn.Protocol
                        ? Task.CompletedTask
                        : next(connection));
            });
        }
    }

    private SslServerAuthenticationOptions HandshakeOptions(TlsHandshakeCallbackContext context)
    {
        var serverName = context.ClientHelloInfo.ServerName;
        if (context.Connection.Items.ContainsKey(Acme.TlsClientHello.OffersAcmeTls))
        {
            return new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _challenges.TlsAlpnCertificate(serverName)
                    ?? throw new AuthenticationException($"no ACME TLS-ALPN-01 challenge for '{serverName}'"),
                ApplicationProtocols = [Acme.AcmeTlsAlpn.Protocol],
            };
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificates.SelectContext(serverName) ?? throw new AuthenticationException($"no certificate for '{serverName}'"),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
    }

    /// <summary>Lifetime for a host started and stopped by its owner (<see cref="StartAsync"/>, <see cref="StopAsync"/>).</summary>
    private sealed class HostedByCaller : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed record Running(RouterMetrics Metrics, AccessLogWriter AccessLog, HttpMessageInvoker Client);
}

using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>
/// Let's Encrypt's test CA (Debian package <c>pebble</c>) on loopback, with <c>pebble-challtestsrv</c> as its DNS server
/// (every name resolves to 127.0.0.1). HTTP-01 validations connect to <c>httpPort</c>, TLS-ALPN-01 ones to <c>tlsPort</c>. Pebble's own HTTPS
/// certificate is made here; <see cref="CaCertificateFile"/> holds it for the server's <c>--acme-ca-certificate</c>.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Process> _processes = [];

    private Pebble()
    {
    }

    public string DirectoryUrl { get; private set; } = "";

    public string CaCertificateFile => _dir.Combine("pebble-tls.pem");

    private int ManagementPort { get; set; }

    /// <summary>Starts Pebble; certificates it issues are valid for <paramref name="validitySeconds"/>.</summary>
    public static async Task<Pebble> StartAsync(int httpPort, int validitySeconds = 7 * 24 * 3600, bool reuseAuthorizations = false, int? tlsPort = null)
    {
        var pebble = new Pebble();
        try
        {
            await pebble.StartProcessesAsync(httpPort, tlsPort ?? ServerProcess.FreePort(), validitySeconds, reuseAuthorizations);
            return pebble;
        }
        catch
        {
            await pebble.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pebble's current root (it makes a new one at every start), from its management API.</summary>
    public async Task<X509Certificate2> RootAsync()
    {
        using var http = TrustingPebble();
        var pem = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0"));
        return X509Certificate2.CreateFromPem(pem);
    }

    private async Task StartProcessesAsync(int httpPort, int tlsPort, int validitySeconds, bool reuseAuthorizations)
    {
        WriteTlsCertificate();
        var dnsPort = ServerProcess.FreePort();
        var listenPort = ServerProcess.FreePort();
        ManagementPort = ServerProcess.FreePort();
        _processes.Add(Start("pebble-challtestsrv", [
            "-dns01", $"127.0.0.1:{dnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-management", $"127.0.0.1:{ServerProcess.FreePort()}", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""], []));

        var config = _dir.Combine("pebble.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            pebble = new
            {
                listenAddress = $"127.0.0.1:{listenPort}",
                managementListenAddress = $"127.0.0.1:{ManagementPort}",
                certificate = CaCertificateFile,
                privateKey = _dir.Combine("pebble-tls.key"),
                httpPort,
                tlsPort,
                ocspResponderURL = "",
                externalAccountBindingRequired = false,
                certificateValidityPeriod = validitySeconds,
            },
        }));
        _processes.Add(Start("pebble", ["-config", config, "-dnsserver", $"127.0.0.1:{dnsPort}"], new()
        {
            ["PEBBLE_VA_NOSLEEP"] = "1",
            ["PEBBLE_VA_ALWAYS_VALID"] = "0",
            ["PEBBLE_AUTHZREUSE"] = reuseAuthorizations ? "100" : "0",
        }));
        DirectoryUrl = $"https://127.0.0.1:{listenPort}/dir";

        using var http = TrustingPebble();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(DirectoryUrl));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 300)
            {
            }

            if (_processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("pebble exited at start");
            }

            await Task.Delay(100);
        }
    }

    private Process Start(string file, string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Pebble's HTTPS listener certificate: self-signed for 127.0.0.1, trusted by the tests and the server under test.</summary>
    private void WriteTlsCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pebble test listener", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaCertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(_dir.Combine("pebble-tls.key"), key.ExportPkcs8PrivateKeyPem());
    }

    private HttpClient TrustingPebble()
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(CaCertificateFile));
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == trusted.Thumbprint,
            },
        }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>An HTTPS client that connects to <paramref name="address"/> whatever the URL's host (so SNI is the URL's host) and trusts only <paramref name="root"/>.</summary>
    public static HttpClient ClientTrusting(X509Certificate2 root, IPEndPoint address, Action<X509Certificate2>? seen = null) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(address, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, sent, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (sent is not null)
                {
                    foreach (var element in sent.ChainElements)
                    {
                        chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                    }

                    chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
                }

                var leaf = new X509Certificate2(certificate);
                seen?.Invoke(leaf);
                return chain.Build(leaf);
            },
        },
    }) { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _dir.Dispose();
    }
}

/// <summary>
/// A TCP port that refuses connections until <see cref="ForwardTo"/> is called, then relays to that port: the test's stand-in
/// for "port 80 points at the wrong place", used to inject an ACME challenge failure and its repair (a fault injector, not a fake CA).
/// </summary>
public sealed class SwitchablePort : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public int Port { get; } = ServerProcess.FreePort();

    public void ForwardTo(int target)
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = RelayAsync(client, target);
            }
        });
    }

    private async Task RelayAsync(TcpClient client, int target)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                var a = client.GetStream();
                var b = upstream.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
        _stop.Dispose();
    }
}

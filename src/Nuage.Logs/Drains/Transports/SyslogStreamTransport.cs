using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>
/// syslog-tcp and syslog-tls: RFC 5424 messages framed with RFC 6587 octet counting ("LEN SP MSG").
/// TCP accepts bytes the peer may never read; so when a connection turns out broken, the last batches written on
/// it are sent again on the new connection first (at-least-once, duplicates possible, never a gap).
/// </summary>
internal sealed class SyslogStreamTransport(Uri uri, SyslogFormatter formatter, bool tls, X509Certificate2Collection? trustedCas, TimeSpan timeout)
    : IDrainTransport
{
    private const int ResendBatches = 4;
    private readonly Queue<byte[]> _recent = new();
    private TcpClient? _client;
    private Stream? _stream;
    private bool _resend;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        var frames = Frame(batch);
        try
        {
            if (_client is null || IsBroken(_client.Client))
            {
                await ConnectAsync(ct);
            }

            if (_resend)
            {
                foreach (var old in _recent)
                {
                    await _stream!.WriteAsync(old, ct);
                }

                _resend = false;
            }

            await _stream!.WriteAsync(frames, ct);
            await _stream.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            Drop();
            _resend = _recent.Count > 0;
            throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: {ex.Message}", ex);
        }

        _recent.Enqueue(frames);
        if (_recent.Count > ResendBatches)
        {
            _recent.Dequeue();
        }

        return DeliveryResult.Ok;
    }

    private byte[] Frame(IReadOnlyList<StoredLogRecord> batch)
    {
        using var buffer = new MemoryStream();
        foreach (var record in batch)
        {
            var message = Encoding.UTF8.GetBytes(formatter.Format(record));
            buffer.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
            buffer.Write(message);
        }

        return buffer.ToArray();
    }

    /// <summary>The peer closed or reset: readable with nothing to read.</summary>
    private static bool IsBroken(Socket socket)
    {
        try
        {
            return !socket.Connected || (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var hadConnection = _client is not null;
        Drop();
        _resend = _resend || hadConnection;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connectTimeout.CancelAfter(timeout);
        var client = new TcpClient { NoDelay = false };
        try
        {
            await client.ConnectAsync(uri.IdnHost, uri.Port, connectTimeout.Token);
            Stream stream = client.GetStream();
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = uri.IdnHost,
                    RemoteCertificateValidationCallback = trustedCas is null ? null : ValidateWithTrustedCas,
                }, connectTimeout.Token);
                stream = ssl;
            }

            _client = client;
            _stream = stream;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private bool ValidateWithTrustedCas(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private void Drop()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return ValueTask.CompletedTask;
    }
}

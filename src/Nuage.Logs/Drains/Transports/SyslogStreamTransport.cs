using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>
/// syslog-tcp and syslog-tls: RFC 5424 messages framed with RFC 6587 octet counting ("LEN SP MSG").
/// TCP accepts bytes the peer may never read; so when a connection turns out broken, the last batches written on
/// it are sent again on the new connection first (at-least-once, duplicates possible, never a gap).
/// A batch is framed straight into one reused byte buffer and goes out in one socket write; the buffers of the
/// last batches are kept for that resend and then reused, so steady delivery allocates nothing per record.
/// </summary>
internal sealed class SyslogStreamTransport(Uri uri, SyslogFormatter formatter, bool tls, X509Certificate2Collection? trustedCas, TimeSpan timeout)
    : IDrainTransport
{
    private const int ResendBatches = 4;
    private readonly Queue<ArrayBufferWriter<byte>> _recent = new();
    private readonly ArrayBufferWriter<byte> _message = new(1024);
    private ArrayBufferWriter<byte> _spare = new(64 * 1024);
    private TcpClient? _client;
    private Stream? _stream;
    private bool _resend;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        var frames = _spare;
        Frame(batch, frames);
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
                    await _stream!.WriteAsync(old.WrittenMemory, ct);
                }

                _resend = false;
            }

            await _stream!.WriteAsync(frames.WrittenMemory, ct);
            await _stream.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            Drop();
            _resend = _recent.Count > 0;
            throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: {ex.Message}", ex);
        }

        _recent.Enqueue(frames);
        _spare = _recent.Count > ResendBatches ? _recent.Dequeue() : new ArrayBufferWriter<byte>(frames.Capacity);

        return DeliveryResult.Ok;
    }

    /// <summary>RFC 6587 octet counting: "LEN SP MSG" per record, LEN being the message's length in bytes.</summary>
    private void Frame(IReadOnlyList<StoredLogRecord> batch, ArrayBufferWriter<byte> frames)
    {
        frames.ResetWrittenCount();
        foreach (var record in batch)
        {
            _message.ResetWrittenCount();
            formatter.Write(record, _message);
            var length = _message.WrittenCount;
            var span = frames.GetSpan(length + 12);
            length.TryFormat(span, out var digits, default, CultureInfo.InvariantCulture);
            span[digits] = (byte)' ';
            _message.WrittenSpan.CopyTo(span[(digits + 1)..]);
            frames.Advance(digits + 1 + length);
        }
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

using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Nuage.Logs.Drains.Network;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>
/// syslog-tcp and syslog-tls: RFC 5424 messages framed with RFC 6587 octet counting ("LEN SP MSG").
/// Syslog has no acknowledgements, and TCP accepts bytes the peer may never read; so a batch counts as delivered only
/// once the receiver's kernel acknowledged its bytes (<see cref="TcpAcknowledgements"/>), and after any failure the
/// drain resumes from that point, plus the last <see cref="DrainOptions.ReplayBytes"/> of acknowledged lines a
/// resetting receiver may have dropped unread (at-least-once: duplicates possible, never a gap). Writes and the wait
/// for acknowledgements time out after <see cref="DrainOptions.WriteTimeout"/> (the receiver is stalled).
/// A batch is framed straight into one reused byte buffer and goes out in one socket write.
/// </summary>
internal sealed class SyslogStreamTransport(
    Uri uri, SyslogFormatter formatter, bool tls, X509Certificate2Collection? trustedCas, DrainOptions options, DrainDestinationPolicy policy, TimeProvider time)
    : IDrainTransport, IAcknowledgementTracker
{
    private readonly ArrayBufferWriter<byte> _message = new(1024);
    private readonly ArrayBufferWriter<byte> _frames = new(64 * 1024);
    private readonly Queue<(long LastSequence, long WireEnd, long FirstCursor, long Bytes)> _unacknowledged = new();
    private readonly Queue<(long FirstCursor, long Bytes)> _acknowledged = new();
    private long _acknowledgedBytes;
    private long _acknowledgedThrough;
    private Socket? _socket;
    private Stream? _stream;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        Frame(batch, _frames);
        try
        {
            if (_socket is null || IsBroken(_socket))
            {
                await ConnectAsync(ct);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.WriteTimeout);
            try
            {
                await _stream!.WriteAsync(_frames.WrittenMemory, timeout.Token);
                await _stream.FlushAsync(timeout.Token);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw Stalled("took no data", ex);
            }

            var wireEnd = TcpAcknowledgements.Read(_socket!)?.Written ?? 0;
            _unacknowledged.Enqueue((batch[^1].Sequence, wireEnd, batch[0].Sequence - 1, _frames.WrittenCount));
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            Drop();
            throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: connection failed", ex);
        }
        catch (DrainDeliveryException)
        {
            Drop();
            throw;
        }

        return DeliveryResult.Ok;
    }

    public long AcknowledgedThrough()
    {
        if (_socket is not null && TcpAcknowledgements.Read(_socket) is { Established: true } acks)
        {
            Settle(acks);
        }

        return _acknowledgedThrough;
    }

    public async Task WaitAllAcknowledgedAsync(CancellationToken ct)
    {
        var progressAt = time.GetTimestamp();
        var lastAcknowledged = -1L;
        var pause = TimeSpan.FromMilliseconds(1);
        while (_unacknowledged.Count > 0)
        {
            if (_socket is null || TcpAcknowledgements.Read(_socket) is not { } acks)
            {
                // No TCP_INFO (not Linux): the kernel's acceptance is all that can be known.
                while (_unacknowledged.TryDequeue(out var batch))
                {
                    Acknowledge(batch);
                }

                return;
            }

            if (!acks.Established || IsBroken(_socket))
            {
                Drop();
                throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: connection failed (closed before the receiver acknowledged every line)");
            }

            Settle(acks);
            if (acks.Acknowledged != lastAcknowledged)
            {
                lastAcknowledged = acks.Acknowledged;
                progressAt = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(progressAt) > options.WriteTimeout)
            {
                Drop();
                throw Stalled("acknowledged nothing", null);
            }

            if (_unacknowledged.Count > 0)
            {
                await Task.Delay(pause, time, ct);
                pause = TimeSpan.FromMilliseconds(Math.Min(50, pause.TotalMilliseconds * 2));
            }
        }
    }

    public long ResumeFrom(long durableCursor)
    {
        var from = Math.Min(durableCursor, _acknowledged.Count > 0 ? _acknowledged.Peek().FirstCursor : durableCursor);
        _acknowledged.Clear();
        _acknowledgedBytes = 0;
        _unacknowledged.Clear();
        _acknowledgedThrough = 0;
        return from;
    }

    private void Settle(TcpAcknowledgements acks)
    {
        while (_unacknowledged.TryPeek(out var batch) && batch.WireEnd <= acks.Acknowledged)
        {
            Acknowledge(_unacknowledged.Dequeue());
        }
    }

    private void Acknowledge((long LastSequence, long WireEnd, long FirstCursor, long Bytes) batch)
    {
        _acknowledgedThrough = batch.LastSequence;
        _acknowledged.Enqueue((batch.FirstCursor, batch.Bytes));
        _acknowledgedBytes += batch.Bytes;
        while (_acknowledged.Count > 1 && _acknowledgedBytes - _acknowledged.Peek().Bytes >= options.ReplayBytes)
        {
            _acknowledgedBytes -= _acknowledged.Dequeue().Bytes;
        }
    }

    private DrainDeliveryException Stalled(string what, Exception? inner) =>
        new($"stalled: {uri.Scheme}://{uri.Authority} {what} for {options.WriteTimeout.TotalSeconds:0} s; reconnecting and resending", inner);

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
        Drop();
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connectTimeout.CancelAfter(options.Timeout);
        Socket? socket = null;
        try
        {
            socket = await policy.ConnectAsync(uri.IdnHost, uri.Port, SocketType.Stream, ProtocolType.Tcp, connectTimeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
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

            _socket = socket;
            _stream = stream;
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new DrainDeliveryException($"{uri.Scheme}://{uri.Authority}: connection failed", ex);
        }
        catch
        {
            socket?.Dispose();
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
        _socket?.Dispose();
        _stream = null;
        _socket = null;
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return ValueTask.CompletedTask;
    }
}

using System.Net;
using System.Net.Sockets;
using Nuage.Bgp.Wire;
using AddressFamily = Nuage.Bgp.Wire.AddressFamily;

namespace Nuage.Bgp.Sessions;

public sealed partial class BgpSession
{
    /// <summary>One TCP connection through OPEN to the end of the session; true when it reached Established.</summary>
    private async Task<bool> ConnectAndServeAsync(CancellationToken stop)
    {
        State = SessionState.Connect;
        using var socket = NetworkNamespace.TcpSocket(peer.Namespace, peer.Address.AddressFamily);
        socket.NoDelay = true;
        if (peer.LocalAddress is { } local)
        {
            socket.Bind(new IPEndPoint(local, 0));
        }

        using (var connectTimeout = new CancellationTokenSource(ConnectTimeout, time))
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop, connectTimeout.Token))
        {
            try
            {
                await socket.ConnectAsync(new IPEndPoint(peer.Address, peer.Port), connecting.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new IOException($"no TCP answer from {peer.Address}:{peer.Port} within {ConnectTimeout.TotalSeconds:0} s");
            }
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var writeLock = new SemaphoreSlim(1);
        var localAddress = ((IPEndPoint)socket.LocalEndPoint!).Address;
        try
        {
            await SendAsync(stream, writeLock, Open(), stop);
            State = SessionState.OpenSent;
            if (await ReadAsync(stream, OpenHoldTime, fourOctetAs: true, stop) is not OpenMessage open)
            {
                throw new BgpProtocolException(BgpError.FiniteStateMachine, 0, "the peer's first message was not OPEN");
            }

            var (hold, families) = Accept(open);
            await SendAsync(stream, writeLock, new KeepaliveMessage(), stop);
            State = SessionState.OpenConfirm;
            var confirm = await ReadAsync(stream, Hold(hold), fourOctetAs: true, stop);
            if (confirm is NotificationMessage refused)
            {
                throw new IOException($"the peer refused the session: {refused.Describe()}");
            }

            if (confirm is not KeepaliveMessage)
            {
                throw new BgpProtocolException(BgpError.FiniteStateMachine, 0, $"expected KEEPALIVE after OPEN, got {confirm.Type}");
            }

            State = SessionState.Established;
            EstablishedAt = time.GetUtcNow();
            _establishedOnce = true;
            LogEstablished(logger, peer.ToString(), hold, string.Join(", ", families));
            Changed?.Invoke(this, new SessionChange(SessionState.Established, $"hold time {hold} s, families {string.Join(", ", families)}"));
            using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var sender = SendLoopAsync(stream, writeLock, hold, families, localAddress, sessionEnd.Token);
            try
            {
                await ReceiveLoopAsync(stream, hold, sessionEnd.Token);
            }
            finally
            {
                await sessionEnd.CancelAsync();
                await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return true;
        }
        catch (BgpProtocolException e)
        {
            await TrySendAsync(stream, writeLock, new NotificationMessage(e.Code, e.Subcode, e.NotificationData));
            throw;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            await TrySendAsync(stream, writeLock, new NotificationMessage(BgpError.HoldTimerExpired, 0, []));
            throw;
        }
        catch (OperationCanceledException)
        {
            // Stopping: a planned shutdown says why; anything else ends as an administrative reset. A detach says
            // nothing: with graceful restart, a session that ends without a NOTIFICATION leaves the routes in place.
            if (!_detaching)
            {
                await TrySendAsync(stream, writeLock, _closing ?? new NotificationMessage(BgpError.Cease, BgpError.AdministrativeReset, []));
            }

            throw;
        }
    }

    private OpenMessage Open() => new(
        peer.LocalAs,
        peer.HoldTime,
        peer.RouterId,
        [
            .. peer.Families.Select(Capability.Multiprotocol),
            Capability.FourOctetAs(peer.LocalAs),
            // Forwarding is preserved: the router process keeps serving while the speaker restarts. The Restart State bit
            // is set on the first session of this speaker's life: the peer may hold stale routes from before.
            .. peer.GracefulRestartTime is { } restart ? [Capability.GracefulRestart(restart, !_establishedOnce, peer.Families, forwarding: true)] : Array.Empty<Capability>(),
        ]);

    /// <summary>Checks the peer's OPEN against the configuration; returns the negotiated hold time and the shared families.</summary>
    private (int Hold, List<AddressFamily> Families) Accept(OpenMessage open)
    {
        if (open.As != peer.RemoteAs)
        {
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.BadPeerAs, $"the peer says it is AS{open.As}, configured AS{peer.RemoteAs}");
        }

        if (!open.Capabilities.Any(c => c.Code == Capability.FourOctetAsCode))
        {
            // Nuage writes AS paths with 4-octet numbers only; a peer without RFC 6793 (rare since 2010) is refused plainly.
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.UnsupportedCapability, "the peer does not support 4-octet AS numbers (RFC 6793)", [Capability.FourOctetAsCode, 4, 0, 0, 0, 0]);
        }

        var offered = open.Capabilities.Select(c => c.Family).OfType<AddressFamily>().ToHashSet();
        if (offered.Count == 0)
        {
            offered.Add(AddressFamily.IPv4Unicast); // RFC 4760: no multiprotocol capability means IPv4 unicast
        }

        var families = peer.Families.Where(offered.Contains).ToList();
        if (families.Count == 0)
        {
            throw new BgpProtocolException(BgpError.OpenMessage, BgpError.UnsupportedCapability, $"no address family in common (configured {string.Join(", ", peer.Families)})");
        }

        return (Math.Min(open.HoldTime, peer.HoldTime), families);
    }

    private static TimeSpan Hold(int seconds) => seconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);

    private async Task ReceiveLoopAsync(NetworkStream stream, int hold, CancellationToken end)
    {
        while (true)
        {
            switch (await ReadAsync(stream, Hold(hold), fourOctetAs: true, end))
            {
                case NotificationMessage notification:
                    throw new IOException($"the peer closed the session: {notification.Describe()}");
                case UpdateMessage update:
                    if (update.TreatAsWithdraw is { } problem)
                    {
                        LogTreatAsWithdraw(logger, peer.ToString(), problem);
                    }

                    lock (_gate)
                    {
                        _received.ExceptWith(update.Withdrawals);
                        _received.UnionWith(update.Announced);
                    }

                    break;
                case OpenMessage:
                    throw new BgpProtocolException(BgpError.FiniteStateMachine, 0, "OPEN received in Established");
                default:
                    break; // KEEPALIVE (the read already restarted the hold timer), ROUTE-REFRESH (we hold no Adj-RIB-In to refresh from)
            }
        }
    }

    private async Task<BgpMessage> ReadAsync(NetworkStream stream, TimeSpan hold, bool fourOctetAs, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(hold, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        var header = new byte[BgpCodec.HeaderLength];
        await stream.ReadExactlyAsync(header, reading.Token);
        var length = BgpCodec.ReadHeader(header);
        var message = new byte[length];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(BgpCodec.HeaderLength), reading.Token);
        return BgpCodec.Decode(message, fourOctetAs);
    }

    private static async Task SendAsync(NetworkStream stream, SemaphoreSlim writeLock, BgpMessage message, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(BgpCodec.Encode(message), cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>A NOTIFICATION on the way out: best effort, bounded, never masking the reason the session ends.</summary>
    private async Task TrySendAsync(NetworkStream stream, SemaphoreSlim writeLock, NotificationMessage notification)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await SendAsync(stream, writeLock, notification, bounded.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection is already gone
        }
    }
}

using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Nuage.Bgp.Rpki;

public sealed partial class RtrClient
{
    private async Task ConnectAndServeAsync(CancellationToken stop)
    {
        lock (_gate)
        {
            _state = RtrClientState.Connecting;
        }

        using var tcp = new TcpClient();
        using (var timeout = new CancellationTokenSource(options.ConnectTimeout, time))
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token))
        {
            try
            {
                await tcp.ConnectAsync(options.Host, options.Port, connect.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new TimeoutException($"no connection within {options.ConnectTimeout.TotalSeconds} s");
            }
        }

        await using var stream = tcp.GetStream();
        var pdus = Channel.CreateUnbounded<RtrPdu>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var reading = ReadLoopAsync(stream, pdus.Writer, readerStop.Token);
        try
        {
            await SynchronizeAsync(stream, pdus.Reader, reset: SessionId is null, firstOnConnection: true, stop);
            while (true)
            {
                using var refresh = new CancellationTokenSource(Intervals.Refresh, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, refresh.Token);
                RtrPdu? pdu = null;
                try
                {
                    pdu = await NextAsync(pdus.Reader, wait.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // The refresh interval passed: ask for what changed.
                }

                switch (pdu)
                {
                    case null or SerialNotifyPdu:
                        await SynchronizeAsync(stream, pdus.Reader, reset: false, firstOnConnection: false, stop);
                        break;
                    case ErrorReportPdu report:
                        throw Reported(report);
                    default:
                        throw new RtrProtocolException(RtrErrorCode.InvalidRequest, $"{pdu.GetType().Name} outside an answer to a query");
                }
            }
        }
        catch (RtrProtocolException e)
        {
            lock (_gate)
            {
                _sessionId = null; // out of step with the cache: start again from a Reset Query
            }

            if (e.Code != RtrErrorCode.UnsupportedProtocolVersion || Version == 0)
            {
                await TrySendAsync(stream, new ErrorReportPdu(Version, e.Code, [], e.Message));
            }

            throw;
        }
        finally
        {
            await readerStop.CancelAsync();
            tcp.Close();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends a query and applies the whole answer (Cache Response … End of Data) at once, or nothing of it.</summary>
    private async Task SynchronizeAsync(NetworkStream stream, ChannelReader<RtrPdu> pdus, bool reset, bool firstOnConnection, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(options.ResponseTimeout, time);
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        ushort? sessionId;
        uint serial;
        lock (_gate)
        {
            sessionId = _sessionId;
            serial = _serial;
        }

        RtrPdu query = reset || sessionId is null ? new ResetQueryPdu(Version) : new SerialQueryPdu(Version, sessionId.Value, serial);
        await stream.WriteAsync(RtrCodec.Encode(query), stop);
        if (query is ResetQueryPdu)
        {
            ResetQueries++;
        }
        else
        {
            SerialQueries++;
        }

        try
        {
            CacheResponsePdu? response = null;
            while (response is null)
            {
                var pdu = await NextAsync(pdus, answer.Token);
                CheckVersion(pdu, allowDowngrade: firstOnConnection);
                switch (pdu)
                {
                    case SerialNotifyPdu:
                        continue; // already asking
                    case CacheResetPdu when query is SerialQueryPdu:
                        // The cache cannot answer from our serial: start from scratch.
                        await SynchronizeAsync(stream, pdus, reset: true, firstOnConnection: false, stop);
                        return;
                    case ErrorReportPdu report:
                        throw Reported(report);
                    case CacheResponsePdu r when query is SerialQueryPdu && r.SessionId != sessionId:
                        throw new RtrProtocolException(RtrErrorCode.CorruptData, $"the cache answered for session {r.SessionId}, not {sessionId}");
                    case CacheResponsePdu r:
                        response = r;
                        break;
                    default:
                        throw new RtrProtocolException(RtrErrorCode.InvalidRequest, $"expected a Cache Response, got {pdu.GetType().Name}");
                }
            }

            HashSet<Vrp> working;
            lock (_gate)
            {
                working = query is ResetQueryPdu ? [] : [.. _table.All];
            }

            while (true)
            {
                var pdu = await NextAsync(pdus, answer.Token);
                CheckVersion(pdu, allowDowngrade: false);
                switch (pdu)
                {
                    case PrefixPdu { Announce: true } p when !working.Add(p.Vrp):
                        throw new RtrProtocolException(RtrErrorCode.DuplicateAnnouncementReceived, $"{p.Vrp} announced twice");
                    case PrefixPdu { Announce: false } p when !working.Remove(p.Vrp):
                        throw new RtrProtocolException(RtrErrorCode.WithdrawalOfUnknownRecord, $"{p.Vrp} withdrawn but never announced");
                    case PrefixPdu or RouterKeyPdu or SerialNotifyPdu:
                        continue;
                    case EndOfDataPdu end:
                        Commit(working, end, query is ResetQueryPdu);
                        return;
                    case ErrorReportPdu report:
                        throw Reported(report);
                    default:
                        throw new RtrProtocolException(RtrErrorCode.InvalidRequest, $"{pdu.GetType().Name} inside a cache's answer");
                }
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException($"no End of Data within {options.ResponseTimeout.TotalSeconds} s");
        }
    }

    private void Commit(HashSet<Vrp> vrps, EndOfDataPdu end, bool reset)
    {
        var table = new VrpTable(vrps);
        lock (_gate)
        {
            _table = table;
            _sessionId = end.SessionId;
            _serial = end.Serial;
            _synchronizedAt = time.GetUtcNow();
            _state = RtrClientState.Synchronized;
            _expiryLogged = false;

            // RFC 8210 §6: refresh 1–86400 s, retry 1–7200 s, expire 600–172800 s; out-of-range values are ignored.
            if (end.Refresh is >= 1 and <= 86400)
            {
                _refresh = TimeSpan.FromSeconds(end.Refresh.Value);
            }

            if (end.Retry is >= 1 and <= 7200)
            {
                _retry = TimeSpan.FromSeconds(end.Retry.Value);
            }

            if (end.Expire is >= 600 and <= 172800)
            {
                _expire = TimeSpan.FromSeconds(end.Expire.Value);
            }
        }

        LastError = null;
        if (reset)
        {
            LogReset(logger, options.ToString(), table.Count, end.SessionId, end.Serial, Version);
        }
        else
        {
            LogSerialUpdate(logger, options.ToString(), table.Count, end.Serial);
        }
    }

    /// <summary>
    /// RFC 8210 §7: the cache's first PDU may carry a lower version than offered (it speaks only that one), and the
    /// client continues in it; any other mismatch is Unexpected Protocol Version. Error Reports are read in any version.
    /// </summary>
    private void CheckVersion(RtrPdu pdu, bool allowDowngrade)
    {
        if (pdu is ErrorReportPdu || pdu.Version == Version)
        {
            return;
        }

        if (allowDowngrade && pdu.Version < Version)
        {
            Version = pdu.Version;
            return;
        }

        throw new RtrProtocolException(RtrErrorCode.UnexpectedProtocolVersion, $"the cache sent version {pdu.Version} while speaking version {Version}");
    }

    private Exception Reported(ErrorReportPdu report)
    {
        LastError = "the cache reported " + report;
        LastErrorReport = report;
        LogErrorReport(logger, options.ToString(), report.ToString());
        if (report.Code == RtrErrorCode.UnsupportedProtocolVersion && Version > 0)
        {
            Version--;
            return new VersionFallbackException();
        }

        return new CacheErrorException(report);
    }

    private static async Task ReadLoopAsync(NetworkStream stream, ChannelWriter<RtrPdu> pdus, CancellationToken stop)
    {
        var header = new byte[RtrCodec.HeaderLength];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(header, stop);
                var pdu = new byte[RtrCodec.ReadHeader(header)];
                header.CopyTo(pdu, 0);
                await stream.ReadExactlyAsync(pdu.AsMemory(RtrCodec.HeaderLength), stop);
                await pdus.WriteAsync(RtrCodec.Decode(pdu), stop);
            }
        }
        catch (EndOfStreamException)
        {
            pdus.TryComplete(new IOException("the cache closed the connection"));
        }
        catch (Exception e)
        {
            pdus.TryComplete(e);
        }
    }

    private static async Task<RtrPdu> NextAsync(ChannelReader<RtrPdu> pdus, CancellationToken token)
    {
        try
        {
            return await pdus.ReadAsync(token);
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static async Task TrySendAsync(NetworkStream stream, RtrPdu pdu)
    {
        try
        {
            await stream.WriteAsync(RtrCodec.Encode(pdu));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The connection is going anyway; the error is logged by the caller.
        }
    }
}

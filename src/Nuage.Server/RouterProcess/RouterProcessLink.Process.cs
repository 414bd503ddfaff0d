using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.FileSystem;
using Nuage.Router.Standalone;
using Nuage.Runtime.Processes;

namespace Nuage.Server.RouterProcess;

internal sealed partial class RouterProcessLink
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Sends the server's current routes as the next snapshot; a router that died meanwhile is restarted first.</summary>
    private async Task PushAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Exchange(ref _dirty, 0);
            var snapshot = _local.Snapshot(new SnapshotGeneration(_epoch, ++_sequence));
            RouterReply reply;
            try
            {
                (reply, _) = await _client.SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = snapshot }, RequestTimeout, cancellationToken);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                LogUnreachable(_logger, e.Message);
                await EnsureRouterAsync(cancellationToken);
                (reply, _) = await _client.SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = snapshot }, RequestTimeout, cancellationToken);
            }

            if (!reply.Ok)
            {
                throw new IOException($"the router refused the snapshot: {reply.Error}");
            }

            if (!reply.Applied)
            {
                LogOutranked(_logger, snapshot.Generation.ToString(), reply.Generation.ToString());
            }
        }
        catch
        {
            Interlocked.Exchange(ref _dirty, 1);
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The status of the router that answers on the socket, adopted; otherwise a new router process, started and awaited.</summary>
    private async Task<RouterReply> EnsureRouterAsync(CancellationToken cancellationToken)
    {
        if (await TryAdoptAsync(cancellationToken) is { } adopted)
        {
            return adopted;
        }

        // Nothing answers. A recorded router that is still alive is hung: replace it.
        if (ReadPidFile() is { } recorded && ProcessIdentity.Kill(recorded.Pid, recorded.StartTicks))
        {
            LogKilledHung(_logger, recorded.Pid);
        }

        Launch();
        var deadline = _time.GetUtcNow() + StartTimeout;
        while (_time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
            if (await TryAdoptAsync(cancellationToken) is { } started)
            {
                return started;
            }

            if (_started is { HasExited: true, ExitCode: not 0 })
            {
                break;
            }
        }

        throw new NuageException(ErrorKind.Failed, ErrorCodes.RouterUnavailable, $"The router process did not start; see {_paths.RouterLog}.");
    }

    private async Task<RouterReply?> TryAdoptAsync(CancellationToken cancellationToken)
    {
        RouterReply reply;
        int peer;
        try
        {
            (reply, peer) = await _client.SendAsync(new RouterRequest(RouterOperations.Status), RequestTimeout, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return null;
        }

        // The socket's peer must be the process the reply describes, and that process must be alive: its start time pins it.
        if (!reply.Ok || peer != reply.Pid || ProcessIdentity.StartTicks(peer) is not { } startTicks)
        {
            throw new IOException($"the process answering on {_paths.RouterSocket} (pid {peer}) is not a router this server can adopt: {reply.Error ?? "pid mismatch"}");
        }

        if (_router != (peer, startTicks))
        {
            _router = (peer, startTicks);
            WritePidFile(peer, startTicks);
            LogAdopted(_logger, peer, reply.Generation.ToString(), string.Join(", ", reply.HttpAddresses.Concat(reply.HttpsAddresses)));
        }

        HttpAddresses = reply.HttpAddresses;
        HttpsAddresses = reply.HttpsAddresses;
        return reply;
    }

    /// <summary>
    /// Starts <c>nuage router</c> in a session of its own (setsid: a Ctrl+C or the end of the server's session does not reach
    /// it), its output appended to logs/router/router.log.
    /// </summary>
    private void Launch()
    {
        var log = _paths.RouterLog;
        Directory.CreateDirectory(Path.GetDirectoryName(log)!, OwnerOnly | UnixFileMode.UserExecute);
        var arguments = new List<string> { "router", "--data", _paths.Root, "--http", _options.Http, "--domain", _options.Domain };
        if (_options.Https is { } https)
        {
            arguments.AddRange(["--https", https]);
        }

        foreach (var proxy in _options.TrustedProxies)
        {
            arguments.AddRange(["--trusted-proxy", proxy]);
        }

        var command = $"exec setsid {_options.SelfCommand} {string.Join(' ', arguments.Select(Quote))} </dev/null >>{Quote(log)} 2>&1";
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _started?.Dispose();
        _started = Process.Start(start) ?? throw new IOException("could not start the router process");
        LogLaunched(_logger, _started.Id, log);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void WritePidFile(int pid, long startTicks)
    {
        using var folder = BeneathDirectory.OpenRoot(_paths.RouterRun);
        folder?.ReplaceText(Path.GetFileName(_paths.RouterPidFile), JsonSerializer.Serialize(new RouterPid(pid, startTicks), RouterJson.Options), OwnerOnly);
    }

    private RouterPid? ReadPidFile()
    {
        using var folder = BeneathDirectory.OpenRoot(_paths.RouterRun);
        var text = folder?.ReadSmallText(Path.GetFileName(_paths.RouterPidFile), 4096);
        try
        {
            return text is null ? null : JsonSerializer.Deserialize<RouterPid>(text, RouterJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Contents of run/router/router.pid.</summary>
    internal sealed record RouterPid(int Pid, long StartTicks);

    [LoggerMessage(EventId = 2850, Level = LogLevel.Information, Message = "Router process pid {Pid} adopted (serving snapshot {Generation} on {Addresses})")]
    private static partial void LogAdopted(ILogger logger, int pid, string generation, string addresses);

    [LoggerMessage(EventId = 2851, Level = LogLevel.Information, Message = "Started the router process (launcher pid {Pid}); its output goes to {Log}")]
    private static partial void LogLaunched(ILogger logger, int pid, string log);

    [LoggerMessage(EventId = 2852, Level = LogLevel.Warning, Message = "The router process does not answer: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string error);

    [LoggerMessage(EventId = 2853, Level = LogLevel.Warning, Message = "The router process (pid {Pid}) is gone; starting a new one")]
    private static partial void LogRouterGone(ILogger logger, int pid);

    [LoggerMessage(EventId = 2854, Level = LogLevel.Warning, Message = "The router process (pid {Pid}) did not answer and was killed")]
    private static partial void LogKilledHung(ILogger logger, int pid);

    [LoggerMessage(EventId = 2855, Level = LogLevel.Warning, Message = "The router refused snapshot {Generation}: it serves {Current}, sent by a newer server; this server's routes are not served")]
    private static partial void LogOutranked(ILogger logger, string generation, string current);
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nuage.Logs.Tests.Support;

/// <summary>
/// A FAULT-INJECTING syslog receiver (RFC 6587 octet counting over TCP on 127.0.0.1:0), written for the tests because
/// rsyslog cannot be told to stop reading a connection and then reset it. The first connection is read until
/// <c>stopReadingAfter</c> messages, then left unread until its socket buffer holds data, then reset (RST, so the
/// unread data is dropped as a crashing receiver would). Later connections are read normally. With
/// <c>neverRead</c>, no connection is ever read (a stalled receiver). Every message body received is kept.
/// </summary>
internal sealed class FaultInjectingSyslogPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly int _stopReadingAfter;
    private readonly bool _neverRead;
    private readonly Task _accepting;
    private int _connections;

    public FaultInjectingSyslogPeer(int stopReadingAfter = int.MaxValue, bool neverRead = false)
    {
        _stopReadingAfter = stopReadingAfter;
        _neverRead = neverRead;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyCollection<string> Messages => _messages;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Set once the first connection was reset with unread bytes in its buffer.</summary>
    public long BytesDroppedByReset { get; private set; }

    private async Task AcceptAsync()
    {
        var held = new List<Socket>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var number = Interlocked.Increment(ref _connections);
                if (_neverRead)
                {
                    held.Add(socket);
                    continue;
                }

                _ = Task.Run(() => ServeAsync(socket, number == 1 ? _stopReadingAfter : int.MaxValue));
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private async Task ServeAsync(Socket socket, int readLimit)
    {
        using var _ = socket;
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        var read = 0;
        try
        {
            while (read < readLimit)
            {
                // Read exactly what one message needs, so nothing past the limit leaves the kernel buffer.
                var n = await socket.ReceiveAsync(buffer.AsMemory(0, 1), _stop.Token);
                if (n == 0)
                {
                    return;
                }

                pending.Add(buffer[0]);
                if (buffer[0] != (byte)' ')
                {
                    continue;
                }

                var length = int.Parse(Encoding.ASCII.GetString([.. pending]).Trim(), CultureInfo.InvariantCulture);
                pending.Clear();
                var body = new byte[length];
                var got = 0;
                while (got < length)
                {
                    var m = await socket.ReceiveAsync(body.AsMemory(got), _stop.Token);
                    if (m == 0)
                    {
                        return;
                    }

                    got += m;
                }

                _messages.Enqueue(Encoding.UTF8.GetString(body));
                read++;
            }

            // Stop reading; once the sender's bytes pile up unread here (and stop growing), reset the connection.
            var last = -1;
            while (socket.Available == 0 || socket.Available != last)
            {
                last = socket.Available;
                await Task.Delay(200, _stop.Token);
            }

            BytesDroppedByReset = socket.Available;
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

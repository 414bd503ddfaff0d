using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Nuage.Server.Addons;

/// <summary>A Redis error reply (-ERR …, -WRONGPASS …).</summary>
internal sealed class RedisReplyException(string message) : Exception(message);

/// <summary>
/// The few RESP2 commands an import needs (AUTH, SELECT, SCAN, DUMP, PTTL, RESTORE, EXISTS, DEL, DBSIZE), pipelined
/// over one TCP connection. Replies are string (simple), long (integer), byte[] (bulk), null or object?[] (array).
/// </summary>
internal sealed class RedisWire : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient client;
    private readonly BufferedStream stream;

    private RedisWire(TcpClient client)
    {
        this.client = client;
        stream = new BufferedStream(client.GetStream(), 65536);
    }

    /// <summary>Connects, authenticates (when a password is given) and selects <paramref name="database"/>.</summary>
    public static async Task<RedisWire> ConnectAsync(string host, int port, string user, string password, int database, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(ConnectTimeout);
                await client.ConnectAsync(host, port, timeout.Token);
            }

            var wire = new RedisWire(client);
            if (password.Length > 0)
            {
                await wire.CallAsync(user.Length > 0 && user != "default" ? ["AUTH", user, password] : ["AUTH", password], cancellationToken);
            }

            await wire.CallAsync(["SELECT", database.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            return wire;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>One command; an error reply is thrown.</summary>
    public async Task<object?> CallAsync(object[] command, CancellationToken cancellationToken)
    {
        var reply = (await PipelineAsync([command], cancellationToken))[0];
        return reply is RedisReplyException error ? throw error : reply;
    }

    /// <summary>Sends every command, then reads every reply in order; an error reply is returned as a <see cref="RedisReplyException"/> in its slot.</summary>
    public async Task<IReadOnlyList<object?>> PipelineAsync(IReadOnlyList<object[]> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            Write(command);
        }

        await stream.FlushAsync(cancellationToken);
        var replies = new object?[commands.Count];
        for (var i = 0; i < replies.Length; i++)
        {
            replies[i] = await ReadAsync(cancellationToken);
        }

        return replies;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        client.Dispose();
    }

    private void Write(object[] command)
    {
        WriteText($"*{command.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var part in command)
        {
            var bytes = part as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(part, CultureInfo.InvariantCulture)!);
            WriteText($"${bytes.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
            stream.Write(bytes);
            stream.Write("\r\n"u8);
        }
    }

    private void WriteText(string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    private async Task<object?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return body;
            case '-':
                return new RedisReplyException(body);
            case ':':
                return long.Parse(body, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var data = new byte[length + 2];
                await stream.ReadExactlyAsync(data, cancellationToken);
                return data[..length];
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadAsync(cancellationToken);
                }

                return items;
            default:
                throw new IOException($"unexpected Redis reply \"{line}\"");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the Redis server closed the connection");
            }

            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }
    }
}

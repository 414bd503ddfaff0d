using System.Globalization;
using System.Net.Sockets;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from a live Redis: SCAN the source, DUMP + PTTL each key and RESTORE … REPLACE it into the add-on, pipelined
/// a page at a time. Before a key is replaced its current value is DUMPed; on any failure (an error reply, the key
/// count check) every touched key is put back or deleted, so the add-on keeps what it had.
/// </summary>
internal sealed partial class RedisEngine
{
    private const int PageSize = 500;

    public override async Task<IReadOnlyList<ImportCount>> CountSourceAsync(AddonSourceUrl source, CancellationToken cancellationToken)
    {
        await using var wire = await ConnectSourceAsync(source, cancellationToken);
        return [new ImportCount(KeysName(source), (long)(await wire.CallAsync(["DBSIZE"], cancellationToken))!)];
    }

    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportAsync(AddonImportJob job, IReadOnlyList<ImportCount> expected, CancellationToken cancellationToken)
    {
        await using var from = await ConnectSourceAsync(job.Source, cancellationToken);
        await using var into = await RedisWire.ConnectAsync(job.Host, job.Port, string.Empty, job.Password, 0, cancellationToken);
        var previous = new List<(byte[] Key, byte[]? Value, long Ttl)>();
        var copied = new List<byte[]>();
        try
        {
            var cursor = "0";
            do
            {
                var page = (object?[])(await from.CallAsync(["SCAN", cursor, "COUNT", PageSize], cancellationToken))!;
                cursor = System.Text.Encoding.ASCII.GetString((byte[])page[0]!);
                var keys = ((object?[])page[1]!).Cast<byte[]>().ToList();
                if (keys.Count == 0)
                {
                    continue;
                }

                var source = await from.PipelineAsync([.. keys.SelectMany(k => new[] { new object[] { "DUMP", k }, ["PTTL", k] })], cancellationToken);
                var current = await into.PipelineAsync([.. keys.SelectMany(k => new[] { new object[] { "DUMP", k }, ["PTTL", k] })], cancellationToken);
                var restores = new List<object[]>();
                for (var i = 0; i < keys.Count; i++)
                {
                    if (source[2 * i] is not byte[] payload)
                    {
                        continue; // expired or deleted since SCAN saw it
                    }

                    previous.Add((keys[i], current[2 * i] as byte[], Ttl(current[(2 * i) + 1])));
                    restores.Add(["RESTORE", keys[i], Ttl(source[(2 * i) + 1]), payload, "REPLACE"]);
                    copied.Add(keys[i]);
                }

                ThrowOnError(await into.PipelineAsync(restores, cancellationToken));
                job.Progress($"{copied.Count.ToString(CultureInfo.InvariantCulture)} key(s) copied");
            }
            while (cursor != "0");

            long present = 0;
            foreach (var chunk in copied.Chunk(PageSize))
            {
                present += (long)(await into.CallAsync([.. new object[] { "EXISTS" }.Concat(chunk)], cancellationToken))!;
            }

            return AddonImportErrors.Verify(expected, [new ImportCount(KeysName(job.Source), present)]);
        }
        catch (Exception e) when (e is RedisReplyException or IOException or Core.Errors.NuageException)
        {
            job.Progress("import failed: putting the add-on's previous keys back");
            await RollBackAsync(into, previous);
            throw e is RedisReplyException reply
                ? AddonImportErrors.Load("RESTORE", new AddonToolResult(1, string.Empty, reply.Message))
                : e;
        }
    }

    private static async Task RollBackAsync(RedisWire into, List<(byte[] Key, byte[]? Value, long Ttl)> previous)
    {
        foreach (var chunk in previous.Chunk(PageSize))
        {
            await into.PipelineAsync([.. chunk.Select(p => p.Value is null
                ? new object[] { "DEL", p.Key }
                : ["RESTORE", p.Key, p.Ttl, p.Value, "REPLACE"])], CancellationToken.None);
        }
    }

    private static async Task<RedisWire> ConnectSourceAsync(AddonSourceUrl source, CancellationToken cancellationToken)
    {
        try
        {
            return await RedisWire.ConnectAsync(source.Host, source.Port, source.User, source.Password, int.Parse(source.Database, CultureInfo.InvariantCulture), cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RedisReplyException)
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            var text = e is OperationCanceledException ? "Connection timed out" : e.Message;
            throw AddonImportErrors.Classify(source, new AddonToolResult(1, string.Empty, text));
        }
    }

    /// <summary>PTTL's answer as RESTORE wants it: 0 (no expiry) for -1, the remaining milliseconds otherwise.</summary>
    private static long Ttl(object? reply) => reply is long ms && ms > 0 ? ms : 0;

    private static void ThrowOnError(IReadOnlyList<object?> replies)
    {
        if (replies.FirstOrDefault(r => r is RedisReplyException) is RedisReplyException error)
        {
            throw error;
        }
    }

    private static string KeysName(AddonSourceUrl source) => $"keys (db {source.Database})";
}

using ModelContextProtocol.Protocol;
using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>
/// Remembers the result of a changing call by (token, tool, idempotencyKey) so a retry returns the first answer
/// instead of applying again. Bounded (oldest forgotten first) and time-limited; only successes are kept, so a
/// failed call can be retried with the same key. A key reused with different arguments is refused (CONFLICT).
/// </summary>
internal sealed class IdempotencyCache(McpOptions options, TimeProvider time)
{
    private readonly Dictionary<(string TokenId, string Tool, string Key), Entry> _entries = [];
    private readonly LinkedList<(string TokenId, string Tool, string Key)> _order = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> once per key; concurrent and later calls with the key get its result.</summary>
    public async Task<(CallToolResult Result, bool Replayed)> RunAsync(
        string tokenId, string tool, string key, string fingerprint, Func<Task<CallToolResult>> work)
    {
        var id = (tokenId, tool, key);
        Task<CallToolResult>? earlier = null;
        TaskCompletionSource<CallToolResult>? mine = null;
        lock (_lock)
        {
            Expire();
            if (_entries.TryGetValue(id, out var existing))
            {
                if (existing.Fingerprint != fingerprint)
                {
                    throw NuageException.Conflict(
                        ErrorCodes.IdempotencyKeyReused, $"idempotencyKey \"{key}\" was already used for a {tool} call with different arguments; use a new key for a new change.");
                }

                earlier = existing.Result.Task;
            }
            else
            {
                mine = new TaskCompletionSource<CallToolResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _entries[id] = new Entry(fingerprint, mine, time.GetUtcNow() + options.IdempotencyLifetime, _order.AddLast(id));
                while (_entries.Count > options.IdempotencyCapacity && _order.First is { } oldest)
                {
                    _entries.Remove(oldest.Value);
                    _order.RemoveFirst();
                }
            }
        }

        if (earlier is not null)
        {
            return (await earlier, true);
        }

        try
        {
            var result = await work();
            if (result.IsError == true)
            {
                Forget(id);
            }

            mine!.SetResult(result);
            return (result, false);
        }
        catch (Exception e)
        {
            Forget(id);
            mine!.SetException(e);
            throw;
        }
    }

    private void Forget((string, string, string) id)
    {
        lock (_lock)
        {
            if (_entries.Remove(id, out var entry))
            {
                _order.Remove(entry.Node);
            }
        }
    }

    private void Expire()
    {
        var now = time.GetUtcNow();
        while (_order.First is { } oldest && _entries[oldest.Value].Expires <= now)
        {
            _entries.Remove(oldest.Value);
            _order.RemoveFirst();
        }
    }

    private sealed record Entry(string Fingerprint, TaskCompletionSource<CallToolResult> Result, DateTimeOffset Expires, LinkedListNode<(string, string, string)> Node);
}

namespace Nuage.Server.Mcp;

/// <summary>
/// Per-token budgets of tool calls (token buckets refilled continuously over the window, on the injected clock).
/// Every call spends from the general budget; deploy and rollback also spend from their own, smaller one.
/// </summary>
internal sealed class McpRateLimiter(McpOptions options, TimeProvider time)
{
    private readonly Dictionary<(string TokenId, string Budget), Bucket> _buckets = [];
    private readonly Lock _lock = new();

    public const string General = "calls";
    public const string Deploys = "deploys";

    /// <summary>Spends one call from each budget the tool uses; on refusal nothing is spent and the wait is returned.</summary>
    public bool TryAcquire(string tokenId, bool deploys, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var general = Get(tokenId, General, options.CallsPerWindow, now);
            var deploy = deploys ? Get(tokenId, Deploys, options.DeploysPerWindow, now) : null;
            if (general.Tokens < 1 || deploy is { Tokens: < 1 })
            {
                var wait = Math.Max(general.SecondsUntilOne(options.CallsPerWindow, options.RateWindow), deploy?.SecondsUntilOne(options.DeploysPerWindow, options.RateWindow) ?? 0);
                retryAfter = TimeSpan.FromSeconds(Math.Ceiling(wait * 10) / 10);
                return false;
            }

            general.Tokens -= 1;
            if (deploy is not null)
            {
                deploy.Tokens -= 1;
            }

            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    private Bucket Get(string tokenId, string budget, int capacity, long now)
    {
        if (!_buckets.TryGetValue((tokenId, budget), out var bucket))
        {
            bucket = new Bucket { Tokens = capacity, Timestamp = now };
            _buckets[(tokenId, budget)] = bucket;
            return bucket;
        }

        var elapsed = time.GetElapsedTime(bucket.Timestamp, now);
        bucket.Tokens = Math.Min(capacity, bucket.Tokens + (capacity * elapsed.TotalSeconds / options.RateWindow.TotalSeconds));
        bucket.Timestamp = now;
        return bucket;
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Timestamp { get; set; }

        public double SecondsUntilOne(int capacity, TimeSpan window) =>
            Tokens >= 1 ? 0 : (1 - Tokens) * window.TotalSeconds / capacity;
    }
}

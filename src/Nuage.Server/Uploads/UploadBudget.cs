using Nuage.Core.Errors;

namespace Nuage.Server.Uploads;

/// <summary>
/// Counts uploads saved on disk and not yet deployed, per app and in bytes overall, and refuses one past
/// <see cref="UploadLimits"/> with 429 (<see cref="QueueFullCode"/>, <see cref="SpaceFullCode"/>) and a message saying
/// why and what to do. A reservation is taken before the first byte is written and released when the deployment ends.
/// </summary>
internal sealed class UploadBudget(UploadLimits limits)
{
    public const string QueueFullCode = ErrorCodes.UploadQueueFull;
    public const string SpaceFullCode = ErrorCodes.UploadSpaceFull;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perApp = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>Takes one of the app's upload slots, or throws 429 when it has <see cref="UploadLimits.MaxQueuedPerApp"/> already.</summary>
    public Reservation Reserve(string appId, string appName)
    {
        lock (_gate)
        {
            var queued = _perApp.GetValueOrDefault(appId);
            if (queued >= limits.MaxQueuedPerApp)
            {
                throw new NuageException(
                    ErrorKind.RateLimited,
                    QueueFullCode,
                    $"App \"{appName}\" already has {queued} uploads waiting to deploy (at most {limits.MaxQueuedPerApp} per app, server option Uploads:MaxQueuedPerApp); "
                    + "wait for them to finish ('nuage activity'), or deploy with --cancel-previous once one finished.");
            }

            _perApp[appId] = queued + 1;
        }

        return new Reservation(this, appId);
    }

    /// <summary>Bytes held by saved, not yet deployed uploads (for tests and metrics).</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    private void Add(long bytes)
    {
        lock (_gate)
        {
            if (_bytes + bytes > limits.MaxQueuedBytes)
            {
                throw new NuageException(
                    ErrorKind.RateLimited,
                    SpaceFullCode,
                    $"Uploads waiting to deploy already take {_bytes / (1024 * 1024)} MiB on the server and this one does not fit "
                    + $"(at most {limits.MaxQueuedBytes / (1024 * 1024)} MiB over all apps, server option Uploads:MaxQueuedBytes); try again once the queue drains.");
            }

            _bytes += bytes;
        }
    }

    private void Release(string appId, long bytes)
    {
        lock (_gate)
        {
            _bytes -= bytes;
            if (_perApp.GetValueOrDefault(appId) <= 1)
            {
                _perApp.Remove(appId);
            }
            else
            {
                _perApp[appId]--;
            }
        }
    }

    /// <summary>One upload's slot and the bytes it has written; dispose once its file is deleted.</summary>
    public sealed class Reservation(UploadBudget budget, string appId) : IDisposable
    {
        private long _bytes;
        private int _released;

        /// <summary>Counts <paramref name="bytes"/> more before they are written; throws 429 past the overall cap.</summary>
        public void Add(long bytes)
        {
            budget.Add(bytes);
            _bytes += bytes;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(appId, _bytes);
            }
        }
    }
}

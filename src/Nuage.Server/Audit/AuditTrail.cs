using Microsoft.Extensions.Logging;
using Nuage.Core.Audit;
using Nuage.Core.Auth;
using Nuage.Core.State;

namespace Nuage.Server.Audit;

/// <summary>
/// Appends to the hash-chained audit trail. One writer at a time (this server is the database's only writer), so each
/// entry's seq and previous hash follow the last one.
/// </summary>
public sealed partial class AuditTrail(IStateStore store, TimeProvider time, ILogger<AuditTrail> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Records one change or refused attempt. A failure to write is logged, never thrown at the caller.</summary>
    public async Task RecordAsync(Caller? caller, string entryPoint, string action, string? target, string requestId, string outcome, string? detail)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            var last = await store.Audit.LastAsync(CancellationToken.None);
            var previous = last?.Hash ?? AuditChain.Genesis;
            var entry = new AuditEntry
            {
                Seq = (last?.Seq ?? 0) + 1,
                At = time.GetUtcNow(),
                Actor = caller?.Actor ?? "anonymous",
                OrgId = caller?.Activity.OrgId ?? caller?.OrgId,
                EntryPoint = entryPoint,
                Action = action,
                Target = target,
                RequestId = requestId,
                Outcome = outcome,
                Detail = detail,
                PreviousHash = previous,
            };
            await store.Audit.AppendAsync(entry with { Hash = AuditChain.HashOf(entry, previous) }, CancellationToken.None);
        }
#pragma warning disable CA1031 // The change already happened; losing its audit line is logged loudly, not turned into a failed request.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAppendFailed(logger, action, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The outcome of an HTTP status: 2xx/3xx succeeded, 4xx refused, 5xx failed.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        < 400 => AuditOutcomes.Success,
        < 500 => AuditOutcomes.Refused,
        _ => AuditOutcomes.Failed,
    };

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 2701, Level = LogLevel.Error, Message = "Could not append to the audit trail ({Action})")]
    private static partial void LogAppendFailed(ILogger logger, string action, Exception exception);
}

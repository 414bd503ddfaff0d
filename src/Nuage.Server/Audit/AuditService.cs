using System.Globalization;
using Nuage.Core.Api;
using Nuage.Core.Audit;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Orgs;

namespace Nuage.Server.Audit;

/// <summary>
/// Reading and verifying the audit trail. An organisation's admins read its entries; the platform operator reads
/// every entry. Verification walks the whole chain and reports only whether it holds (and where it breaks).
/// </summary>
internal sealed class AuditService(IStateStore store, OrgService orgs, TimeProvider time)
{
    public const int MaxPageSize = 500;

    public async Task<IReadOnlyList<AuditEntryDto>> ListAsync(Caller caller, string? org, string? app, string? since, long? before, int? limit, CancellationToken cancellationToken)
    {
        caller.Require(Role.Admin, "Reading the audit trail");
        var size = limit ?? 100;
        var errors = new List<FieldError>();
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("limit", size.ToString(CultureInfo.InvariantCulture), $"use a whole number from 1 to {MaxPageSize}"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAuditQuery, errors);
        }

        var from = Logs.TimeSpec.Parse("since", since, time.GetUtcNow());

        // Members only ever see their own organisation's entries; the operator may narrow to one.
        var orgId = org is not null ? (await orgs.FindAsync(caller, org, cancellationToken)).Id : caller.OrgId;
        var entries = await store.Audit.ListAsync(new AuditQuery { OrgId = orgId, Target = app, Since = from, BeforeSeq = before, Limit = size }, cancellationToken);
        var names = (await store.Orgs.ListAsync(null, cancellationToken)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        return [.. entries.Select(e => new AuditEntryDto(
            e.Seq, e.At, e.Actor, e.OrgId is null ? null : names.GetValueOrDefault(e.OrgId, e.OrgId), e.EntryPoint, e.Action, e.Target, e.RequestId, e.Outcome, e.Detail, e.Hash))];
    }

    public async Task<AuditVerificationDto> VerifyAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.Require(Role.Admin, "Verifying the audit trail");
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.Audit.ReadAllAsync(cancellationToken))
        {
            entries.Add(entry);
        }

        var broken = AuditChain.FirstBreak(entries);
        return new AuditVerificationDto(broken is null, entries.Count, broken?.Seq, broken?.Reason);
    }
}

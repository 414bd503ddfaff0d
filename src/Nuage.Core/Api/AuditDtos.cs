namespace Nuage.Core.Api;

public sealed record AuditEntryDto(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string? Org,
    string EntryPoint,
    string Action,
    string? Target,
    string RequestId,
    string Outcome,
    string? Detail,
    string Hash);

/// <summary>Result of <c>GET /v1/audit/verify</c>: whether the chain is whole, else the first broken entry.</summary>
public sealed record AuditVerificationDto(bool Ok, long Entries, long? BrokenAt, string? Reason);

namespace Nuage.Core.Audit;

/// <summary>
/// One change (or refused attempt) in the append-only audit trail. <see cref="Hash"/> is the SHA-256 of the previous
/// entry's hash and this entry's fields (<see cref="AuditChain"/>), so editing or deleting an entry breaks the chain.
/// </summary>
public sealed record AuditEntry
{
    public long Seq { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Who: the token id, and the user's email when the token is personal.</summary>
    public required string Actor { get; init; }

    /// <summary>The organisation the change concerns (the resource's), when there is one.</summary>
    public string? OrgId { get; init; }

    /// <summary><see cref="AuditEntryPoints"/>.</summary>
    public required string EntryPoint { get; init; }

    /// <summary>What was asked: e.g. <c>POST /v1/apps/{app}/env/{name}</c>, a tool name, <c>git push</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The app (or other resource) named by the request.</summary>
    public string? Target { get; init; }

    public required string RequestId { get; init; }

    /// <summary><see cref="AuditOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The status and error code of a refusal, or the HTTP status of a success.</summary>
    public string? Detail { get; init; }

    public string PreviousHash { get; init; } = string.Empty;

    public string Hash { get; init; } = string.Empty;
}

/// <summary>Where a change came in.</summary>
public static class AuditEntryPoints
{
    public const string Rest = "rest";
    public const string Git = "git";
    public const string Mcp = "mcp";
    public const string Console = "console";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Refused = "refused";
    public const string Failed = "failed";
}

using Nuage.Core.Errors;

namespace Nuage.Core.Auth;

/// <summary>
/// Who is calling an application service. Every entry point (REST, MCP, git push) builds one from a token,
/// and every service method checks it, so the rules hold whatever the transport.
/// A caller acts inside one organisation (<see cref="OrgId"/>) with a role there; the platform operator
/// (the bootstrap admin token) sees every organisation.
/// </summary>
public sealed record Caller(string TokenId, Role Role, string Description)
{
    /// <summary>The platform acting on its own behalf (reconcilers, startup).</summary>
    public static Caller System { get; } = new("system", Role.Admin, "nuage") { IsOperator = true };

    /// <summary>The organisation the caller acts in; null for an operator not narrowed to one.</summary>
    public string? OrgId { get; init; }

    /// <summary>The user the token belongs to; null for automation tokens and the operator.</summary>
    public string? UserId { get; init; }

    /// <summary>The email of the token's owner, when the token is personal.</summary>
    public string? UserEmail { get; init; }

    /// <summary>How the audit trail names this caller: the token id, and its owner's email when personal.</summary>
    public string Actor => UserEmail is null ? TokenId : $"{TokenId} ({UserEmail})";

    /// <summary>The platform operator: every organisation, every role.</summary>
    public bool IsOperator { get; init; }

    /// <summary>Filled in by the services as they resolve resources (for the audit trail).</summary>
    public CallerActivity Activity { get; init; } = new();

    /// <summary>Whether resources of <paramref name="orgId"/> exist for this caller (others answer "not found").</summary>
    public bool CanSee(string orgId) => IsOperator ? OrgId is null || OrgId == orgId : OrgId == orgId;

    public void Require(Role minimum, string action)
    {
        if (!IsOperator && Role < minimum)
        {
            throw NuageException.Forbidden(
                $"{action} needs the {Roles.Name(minimum)} role; this token is {Roles.Name(Role)}.");
        }
    }

    public void RequireOperator(string action)
    {
        if (!IsOperator)
        {
            throw NuageException.Forbidden($"{action} is for the platform operator (the bootstrap admin token).");
        }
    }
}

namespace Nuage.Core.Errors;

/// <summary>How each <see cref="ErrorKind"/> reaches a user: HTTP status (REST), exit code (CLI), code (MCP tools).</summary>
/// <param name="McpCode">The coarse code MCP tools return in <c>{ code, message }</c> (docs/mcp.md).</param>
public sealed record ErrorKindInfo(ErrorKind Kind, int HttpStatus, int ExitCode, string McpCode, string Meaning);

/// <summary>The one table mapping error kinds to transports; REST, CLI and MCP all read it.</summary>
public static class ErrorKinds
{
    /// <summary>The codes MCP tools return (one per kind, plus <see cref="McpInternal"/>). Do not rename.</summary>
    public const string McpUnauthorized = "UNAUTHORIZED";
    public const string McpForbidden = "FORBIDDEN";
    public const string McpNotFound = "NOT_FOUND";
    public const string McpInvalidArgument = "INVALID_ARGUMENT";
    public const string McpConflict = "CONFLICT";
    public const string McpRateLimitExceeded = "RATE_LIMIT_EXCEEDED";
    public const string McpUnavailable = "UNAVAILABLE";
    public const string McpInternal = "INTERNAL";

    public static IReadOnlyList<ErrorKindInfo> All { get; } =
    [
        new(ErrorKind.Invalid, 422, CliExitCodes.InvalidInput, McpInvalidArgument, "the input is refused; the errors list names each field, the value and what is accepted"),
        new(ErrorKind.NotFound, 404, CliExitCodes.NotFound, McpNotFound, "no such app, deployment, release, token, domain, drain or variable"),
        new(ErrorKind.Conflict, 409, CliExitCodes.InvalidInput, McpConflict, "the current state does not allow it (it already exists, no release yet…)"),
        new(ErrorKind.Unauthorized, 401, CliExitCodes.Unauthorized, McpUnauthorized, "no valid token"),
        new(ErrorKind.Forbidden, 403, CliExitCodes.Unauthorized, McpForbidden, "the token's role may not do this"),
        new(ErrorKind.TooLarge, 413, CliExitCodes.InvalidInput, McpInvalidArgument, "the upload or body is larger than the server accepts"),
        new(ErrorKind.RateLimited, 429, CliExitCodes.Failed, McpRateLimitExceeded, "over the token's budget; retry after the time in the message"),
        new(ErrorKind.Failed, 500, CliExitCodes.Failed, McpUnavailable, "the operation failed; the message says where and why"),
    ];

    public static ErrorKindInfo Of(ErrorKind kind) => All.First(k => k.Kind == kind);

    /// <summary>The kind an HTTP status stands for (for answers that carry no known code); null for success statuses.</summary>
    public static ErrorKind? FromHttpStatus(int status) => status switch
    {
        400 or 422 => ErrorKind.Invalid,
        < 400 => null,
        _ => All.FirstOrDefault(k => k.HttpStatus == status)?.Kind ?? ErrorKind.Failed,
    };
}

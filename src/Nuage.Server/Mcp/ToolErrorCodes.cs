using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>The stable error codes MCP tools return in <c>{ code, message }</c>. Documented in docs/mcp.md: do not rename.</summary>
public static class ToolErrorCodes
{
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string Conflict = "CONFLICT";
    public const string RateLimitExceeded = "RATE_LIMIT_EXCEEDED";
    public const string Unavailable = "UNAVAILABLE";
    public const string Internal = "INTERNAL";

    public static string From(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid or ErrorKind.TooLarge => InvalidArgument,
        ErrorKind.NotFound => NotFound,
        ErrorKind.Conflict => Conflict,
        ErrorKind.Unauthorized => Unauthorized,
        ErrorKind.Forbidden => Forbidden,
        ErrorKind.RateLimited => RateLimitExceeded,
        _ => Unavailable,
    };
}

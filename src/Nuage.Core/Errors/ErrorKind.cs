namespace Nuage.Core.Errors;

/// <summary>What went wrong, independent of transport. HTTP and CLI exit codes are derived from it.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    TooLarge,
    RateLimited,
    Failed,
}

using Microsoft.Extensions.Logging;

namespace Nuage.Router.Flow;

/// <summary>Log messages of the router's request flow (app protection); event ids 5340-5359 of the router's range.</summary>
internal static partial class FlowLog
{
    [LoggerMessage(EventId = 5340, Level = LogLevel.Information, Message = "App {AppId}: {User} signed in (request {RequestId})")]
    public static partial void SignedIn(ILogger logger, string appId, string user, string requestId);

    [LoggerMessage(EventId = 5341, Level = LogLevel.Warning, Message = "App {AppId}: sign-in failed: {Reason} (request {RequestId})")]
    public static partial void SignInFailed(ILogger logger, string appId, string reason, string requestId);

    [LoggerMessage(EventId = 5342, Level = LogLevel.Warning, Message = "App {AppId}: issuer {Issuer} unusable: {Reason} (request {RequestId})")]
    public static partial void IssuerUnreachable(ILogger logger, string appId, string issuer, string reason, string requestId);

    [LoggerMessage(EventId = 5343, Level = LogLevel.Information, Message = "App {AppId}: {User} is not among the allowed emails, domains or groups; answered 403 (request {RequestId})")]
    public static partial void Refused(ILogger logger, string appId, string user, string requestId);

    [LoggerMessage(EventId = 5344, Level = LogLevel.Information, Message = "App {AppId}: session refresh failed ({Reason}); the visitor signs in again")]
    public static partial void RefreshFailed(ILogger logger, string appId, string reason);

    [LoggerMessage(EventId = 5345, Level = LogLevel.Information, Message = "App {AppId}: sign-in state expired; starting the sign-in again once (request {RequestId})")]
    public static partial void StateExpiredRetrying(ILogger logger, string appId, string requestId);
}

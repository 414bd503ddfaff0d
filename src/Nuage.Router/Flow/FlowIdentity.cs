namespace Nuage.Router.Flow;

/// <summary>
/// Set on a request to a protected app once the client is authenticated: the forwarder then drops every client-sent
/// identity header (<see cref="Headers"/>, whatever the peer) and the Authorization header, and sends the user it names.
/// </summary>
internal sealed record FlowIdentity(string User)
{
    public const string UserHeader = "X-Forwarded-User";

    /// <summary>Headers that tell the app who the user is: only the router sets them for a protected app.</summary>
    public static readonly string[] Headers =
    [
        "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "X-Forwarded-Access-Token",
        "X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups", "X-Auth-Request-Preferred-Username", "X-Auth-Request-Access-Token",
        "X-Remote-User", "Remote-User",
    ];
}

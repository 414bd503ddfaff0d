namespace Nuage.Router.Flow;

/// <summary>
/// Set on a request to a protected app once the client is authenticated: the forwarder then drops every client-sent
/// identity header (<see cref="Headers"/>, whatever the peer) and the Authorization header, and sends the user it names.
/// </summary>
internal sealed record FlowIdentity(string User)
{
    public const string UserHeader = "X-Forwarded-User";
    public const string EmailHeader = "X-Forwarded-Email";
    public const string GroupsHeader = "X-Forwarded-Groups";
    public const string AccessTokenHeader = "X-Forwarded-Access-Token";

    /// <summary>A protected app's open path (health check, excluded prefix): nobody signed in, identity headers still dropped.</summary>
    public static readonly FlowIdentity Anonymous = new("") { KeepAuthorization = true };

    /// <summary>The signed-in user's email (OIDC), null when unknown or unverified.</summary>
    public string? Email { get; init; }

    /// <summary>The user's groups, comma-separated (OIDC).</summary>
    public string? Groups { get; init; }

    /// <summary>The access token, when the app asked for it (<c>--pass-access-token</c>).</summary>
    public string? AccessToken { get; init; }

    /// <summary>
    /// False for basic auth (the Authorization header holds the password for the router, never for the app); true for OIDC,
    /// where a client's own Authorization header is the app's business. The router's cookies are always removed.
    /// </summary>
    public bool KeepAuthorization { get; init; }

    /// <summary>Headers that tell the app who the user is: only the router sets them for a protected app.</summary>
    public static readonly string[] Headers =
    [
        "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "X-Forwarded-Access-Token",
        "X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups", "X-Auth-Request-Preferred-Username", "X-Auth-Request-Access-Token",
        "X-Remote-User", "Remote-User",
    ];
}

namespace Nuage.Router.Flow;

/// <summary>
/// OpenID Connect protection of an app (<c>nuage protect oidc</c>): the router signs the visitor in at <see cref="Issuer"/>
/// (authorization code with PKCE, callback on the app's own host at <see cref="OidcPaths.Callback"/>), keeps the session
/// in an encrypted cookie sealed with <see cref="SessionKey"/>, and lets through only the allowed emails, email domains
/// and groups. <see cref="ClientSecret"/> and <see cref="SessionKey"/> are sealed at rest by the server and never listed.
/// </summary>
public sealed record OidcAuthConfig
{
    /// <summary>Issuer URL as the discovery document names it, e.g. <c>https://sso.example.com/realms/acme</c>.</summary>
    public string Issuer { get; init; } = "";

    public string ClientId { get; init; } = "";

    /// <summary>A confidential client's secret (client_secret_post); null for a public client (PKCE only).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Base64 of the 32-byte AES-256-GCM key of the app's session and sign-in cookies (made by the server, kept across restarts).</summary>
    public string SessionKey { get; init; } = "";

    /// <summary>Scopes asked for (openid is always included).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "email", "profile"];

    /// <summary>Emails let in (case-insensitive); with <see cref="AllowedDomains"/> empty too, any signed-in user's email is.</summary>
    public IReadOnlyList<string> AllowedEmails { get; init; } = [];

    /// <summary>Email domains let in (<c>example.com</c> lets in <c>*@example.com</c>).</summary>
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    /// <summary>When not empty, the user must also be in one of these groups (the ID token's <c>groups</c> claim).</summary>
    public IReadOnlyList<string> AllowedGroups { get; init; } = [];

    /// <summary>Path prefixes served without sign-in, besides the app's health-check paths.</summary>
    public IReadOnlyList<string> ExcludedPaths { get; init; } = [];

    /// <summary>Send the access token to the app in <c>X-Forwarded-Access-Token</c>.</summary>
    public bool PassAccessToken { get; init; }

    /// <summary>How long a session lasts before the visitor signs in again (refreshes do not extend it).</summary>
    public int SessionLifetimeSeconds { get; init; } = DefaultSessionLifetimeSeconds;

    public const int DefaultSessionLifetimeSeconds = 12 * 3600;
}

/// <summary>The router's own paths on a protected app's host (the app never sees them).</summary>
public static class OidcPaths
{
    public const string Prefix = "/.nuage/oauth2/";
    public const string Callback = "/.nuage/oauth2/callback";
    public const string SignOut = "/.nuage/oauth2/sign_out";
}

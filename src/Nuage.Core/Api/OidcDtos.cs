namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/auth/oidc/device</c>: which configured issuer (default: the only one).</summary>
public sealed record OidcDeviceStartRequest
{
    public string? Issuer { get; init; }
}

/// <summary>A started device sign-in (RFC 8628 §3.2) and the opaque handle to poll it with.</summary>
public sealed record OidcDeviceDto(string Handle, string Issuer, string UserCode, string VerificationUri, int Interval, int ExpiresIn)
{
    public string? VerificationUriComplete { get; init; }
}

/// <summary>Body of <c>POST /v1/auth/oidc/device/poll</c>.</summary>
public sealed record OidcDevicePollRequest
{
    public string? Handle { get; init; }
}

/// <summary>
/// A poll's answer: <c>pending</c> (ask again after <see cref="Interval"/> seconds) or <c>done</c> with the session
/// token's secret (shown once), its organisation and role.
/// </summary>
public sealed record OidcDevicePollDto(string Status, int Interval)
{
    public const string Pending = "pending";
    public const string Done = "done";

    public string? Token { get; init; }

    public string? TokenId { get; init; }

    public string? User { get; init; }

    public string? Org { get; init; }

    public string? Role { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>
/// Body of <c>POST /v1/auth/oidc/code</c> (<c>nuage login --oidc --browser</c>): which issuer, and the CLI's loopback
/// redirect (RFC 8252 §7.3: <c>http://127.0.0.1:PORT/callback</c>).
/// </summary>
public sealed record OidcCodeStartRequest
{
    public string? Issuer { get; init; }

    public string? RedirectUri { get; init; }
}

/// <summary>
/// A started browser sign-in: the URL to open, the state the callback must carry back, and the handle (a secret bound
/// to this sign-in) to complete it with.
/// </summary>
public sealed record OidcCodeStartDto(string Handle, string State, string AuthorizationUrl, string Issuer);

/// <summary>Body of <c>POST /v1/auth/oidc/code/complete</c>: what the issuer sent to the loopback callback.</summary>
public sealed record OidcCodeCompleteRequest
{
    public string? Handle { get; init; }

    public string? State { get; init; }

    public string? Code { get; init; }

    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }
}

/// <summary>Body of <c>POST /v1/auth/providers</c>: an OpenID Connect issuer to trust from now on (operator only).</summary>
public sealed record OidcProviderRequest
{
    public string? Issuer { get; init; }

    public string? ClientId { get; init; }

    /// <summary>A confidential client's secret; stored sealed and never returned.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The console button's label; empty: the Keycloak realm or the host.</summary>
    public string? Name { get; init; }

    /// <summary>Space-separated scopes to ask for (must hold <c>openid</c>); empty: <c>openid email profile groups</c>.</summary>
    public string? Scopes { get; init; }

    /// <summary>GROUP=ORG:ROLE mappings for this provider; empty: the server's <c>--oidc-group-role</c> ones.</summary>
    public IReadOnlyList<string>? GroupRoles { get; init; }
}

/// <summary>
/// A trusted OpenID Connect provider. <see cref="Source"/> is <c>flags</c> (the server's <c>--oidc-issuer</c>) or
/// <c>store</c> (<c>nuage auth provider add</c>); <see cref="Status"/> is <c>ok</c>, or why a stored provider could not
/// be discovered at the server's start (it is then not usable until discovery succeeds). The client secret is never
/// shown: <see cref="Confidential"/> says whether there is one.
/// </summary>
public sealed record OidcProviderDto(string Issuer, string ClientId, string Name, string Source, bool Confidential, string TokenAuthMethod, string Scopes, IReadOnlyList<string> GroupRoles, string Status)
{
    public DateTimeOffset? AddedAt { get; init; }

    /// <summary>On removal: how many live sessions signed in there were ended.</summary>
    public int? SessionsEnded { get; init; }
}

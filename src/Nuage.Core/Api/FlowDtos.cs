namespace Nuage.Core.Api;

/// <summary>
/// An app's request flow (<c>GET|PUT /v1/apps/{app}/flow</c>): what the router does before forwarding. PUT replaces every
/// field but <see cref="BasicAuth"/>, which is changed with the <c>/protect</c> endpoints (passwords are hashed there).
/// </summary>
public sealed record FlowDto
{
    /// <summary>308 from http:// to https:// (default off).</summary>
    public bool ForceHttps { get; init; }

    /// <summary>Every other host of the app redirects (308) here, e.g. www.example.com; null: off.</summary>
    public string? CanonicalHost { get; init; }

    /// <summary>Ordered path rules; the first whose pattern matches the path applies.</summary>
    public List<FlowRuleDto> Rules { get; init; } = [];

    /// <summary>Response headers set on every answer (e.g. Strict-Transport-Security; HSTS is off unless set).</summary>
    public List<FlowHeaderDto> Headers { get; init; } = [];

    /// <summary>gzip/brotli of compressible responses when the client accepts them (default off).</summary>
    public bool Compression { get; init; }

    /// <summary>Basic-auth protection (read-only here): user names, never hashes.</summary>
    public BasicAuthDto? BasicAuth { get; init; }

    /// <summary>Size cap in bytes of the app's response cache (1 MB to 1 GB); null: no cache (default).</summary>
    public long? CacheSizeBytes { get; init; }

    /// <summary>OpenID Connect protection (read-only here; set with <c>PUT /protect/oidc</c>): never the client secret.</summary>
    public OidcProtectionDto? Oidc { get; init; }
}

/// <summary>
/// Body of <c>PUT /v1/apps/{app}/protect/oidc</c> and, without <see cref="ClientSecret"/>, how <c>nuage protect show</c> lists it.
/// A null <see cref="ClientSecret"/> keeps the current one when the issuer and client id are unchanged (none: a public client).
/// </summary>
public sealed record OidcProtectionDto
{
    public string? Issuer { get; init; }

    public string? ClientId { get; init; }

    /// <summary>Write-only: never returned.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Returned: whether a client secret is stored (sealed).</summary>
    public bool HasClientSecret { get; init; }

    public List<string>? Scopes { get; init; }

    public List<string>? AllowedEmails { get; init; }

    public List<string>? AllowedDomains { get; init; }

    public List<string>? AllowedGroups { get; init; }

    public List<string>? ExcludedPaths { get; init; }

    public bool PassAccessToken { get; init; }

    /// <summary>Session length in seconds before signing in again (default 43200, 12 h).</summary>
    public int? SessionLifetimeSeconds { get; init; }
}

/// <summary>Kind <c>redirect</c> (answers Status with Location = Target) or <c>rewrite</c> (the app receives Target as path).</summary>
public sealed record FlowRuleDto(string Kind, string Pattern, string Target, int Status = 308);

public sealed record FlowHeaderDto(string Name, string Value);

public sealed record BasicAuthDto(string Realm, List<string> Users, List<string> ExcludedPaths);

/// <summary>Body of <c>PUT /v1/apps/{app}/protect/basic/users/{user}</c>: the password (hashed by the server) and optional protection settings.</summary>
public sealed record ProtectUserRequest
{
    public string? Password { get; init; }

    /// <summary>Realm shown by browsers; unchanged when null (default "Restricted").</summary>
    public string? Realm { get; init; }

    /// <summary>Path prefixes left open besides health checks; unchanged when null.</summary>
    public List<string>? ExcludedPaths { get; init; }
}

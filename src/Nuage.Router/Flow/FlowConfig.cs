namespace Nuage.Router.Flow;

/// <summary>
/// What the router does with an app's requests before (and around) forwarding them: force HTTPS, canonical host,
/// ordered path redirects and rewrites, response headers, compression, basic-auth protection. Set with <c>nuage flow</c>
/// and <c>nuage protect</c>; checked by <see cref="Validate"/> when set; travels with the app's route (snapshots too).
/// </summary>
public sealed partial record FlowConfig
{
    /// <summary>Plain-HTTP requests get 308 to the same URL over HTTPS (ACME challenges excepted).</summary>
    public bool ForceHttps { get; init; }

    /// <summary>Requests for any other host of the app get 308 to this host (e.g. apex → www). Null: off.</summary>
    public string? CanonicalHost { get; init; }

    /// <summary>Path rules, tried in order; the first whose pattern matches the path applies.</summary>
    public IReadOnlyList<FlowRule> Rules { get; init; } = [];

    /// <summary>Response headers set on every answer of the app (replacing the app's own value).</summary>
    public IReadOnlyList<FlowHeader> Headers { get; init; } = [];

    /// <summary>gzip/brotli for compressible responses when the client accepts them.</summary>
    public bool Compression { get; init; }

    /// <summary>HTTP basic authentication in front of the app; null: not protected.</summary>
    public BasicAuthConfig? BasicAuth { get; init; }

    /// <summary>OpenID Connect sign-in in front of the app (the OAuth2-Proxy pattern); null: not protected that way.</summary>
    public OidcAuthConfig? Oidc { get; init; }

    /// <summary>Opt-in response cache of the app: its size cap in bytes; null: off (<c>nuage flow cache</c>).</summary>
    public long? CacheSizeBytes { get; init; }

    /// <summary>Bumped by <c>nuage flow cache purge</c>: a new value empties the app's cache when the route is published.</summary>
    public int CacheGeneration { get; init; }

    public bool IsEmpty => !ForceHttps && CanonicalHost is null && Rules.Count == 0 && Headers.Count == 0 && !Compression && BasicAuth is null && Oidc is null
        && CacheSizeBytes is null;
}

/// <summary>
/// One path rule: <paramref name="Pattern"/> is a .NET regular expression matched against the request path (query excluded);
/// <paramref name="Target"/> may use its groups (<c>$1</c>, <c>${name}</c>). A redirect answers <see cref="Status"/> with
/// Location = target (a path, or an absolute http(s) URL; the query string is kept unless the target has one); a rewrite
/// changes the path the app receives (target is a path; the query string is kept).
/// </summary>
public sealed record FlowRule(string Kind, string Pattern, string Target)
{
    public int Status { get; init; } = 308;
}

/// <summary>Rule kinds (stored by name: do not rename).</summary>
public static class FlowRuleKinds
{
    public const string Redirect = "redirect";
    public const string Rewrite = "rewrite";
}

public sealed record FlowHeader(string Name, string Value);

/// <summary>Basic-auth users (hashed with <see cref="BasicAuthHashes"/>, never plaintext) and paths left open (health checks are always open).</summary>
public sealed record BasicAuthConfig
{
    public string Realm { get; init; } = "Restricted";

    public IReadOnlyList<BasicAuthUser> Users { get; init; } = [];

    /// <summary>Path prefixes served without credentials, besides the app's health-check paths.</summary>
    public IReadOnlyList<string> ExcludedPaths { get; init; } = [];
}

public sealed record BasicAuthUser(string User, string Hash);

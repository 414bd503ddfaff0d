using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;

namespace Nuage.Server.Oidc;

/// <summary>One OpenID Connect issuer the operator trusts for sign-in (e.g. a Keycloak realm URL).</summary>
public sealed record OidcIssuerConfig(string Url, string ClientId)
{
    /// <summary>The console button's label; empty: derived from the URL.</summary>
    public string? Name { get; init; }

    /// <summary>Set for a confidential client (sent as the issuer's discovery allows: client_secret_basic, else _post); null for a public client (PKCE only).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The scopes to ask for; null: <see cref="OidcClientAuth.DefaultScopes"/>.</summary>
    public string? Scopes { get; init; }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"{Url} (client {ClientId}{(ClientSecret is null ? string.Empty : ", confidential")})";
}

/// <summary>
/// <c>--oidc-group-role GROUP=ORG:ROLE</c>: a user whose ID token carries GROUP (in <c>groups</c>, or as a Keycloak
/// realm role in <c>realm_access.roles</c>) becomes a member of ORG with ROLE at sign-in.
/// </summary>
public sealed record OidcGroupRole(string Group, string Org, Role Role);

/// <summary>OpenID Connect issuers, from <c>--oidc-issuer URL --oidc-client-id ID</c> (paired in order), and group mapping.</summary>
public sealed record OidcOptions
{
    public const string IssuerFlag = "--oidc-issuer";
    public const string ClientIdFlag = "--oidc-client-id";
    public const string GroupRoleFlag = "--oidc-group-role";

    /// <summary>How long a session token issued by an OpenID Connect sign-in lives.</summary>
    public static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromHours(12);

    /// <summary>7 days: after a week the user signs in again, however often the session was refreshed.</summary>
    public static readonly TimeSpan DefaultSessionMaxLifetime = TimeSpan.FromDays(7);

    public IReadOnlyList<OidcIssuerConfig> Issuers { get; init; } = [];

    /// <summary>Parsed <c>--oidc-group-role</c> values (the raw ones that do not parse are in <see cref="InvalidGroupRoles"/>).</summary>
    public IReadOnlyList<OidcGroupRole> GroupRoles { get; init; } = [];

    public IReadOnlyList<FieldError> InvalidGroupRoles { get; init; } = [];

    public TimeSpan SessionLifetime { get; init; } = DefaultSessionLifetime;

    /// <summary>The most a session lives, however often it is refreshed: each successful refresh extends it by
    /// <see cref="SessionLifetime"/> from the refresh, never past its sign-in plus this.</summary>
    public TimeSpan SessionMaxLifetime { get; init; } = DefaultSessionMaxLifetime;

    /// <summary>How many sign-ins (device or browser) one client address may start per <see cref="StartWindow"/>.</summary>
    public int StartLimit { get; init; } = 20;

    public TimeSpan StartWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each session is refreshed at its issuer (and its groups applied again).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Pairs the two flags' values; a count mismatch is reported by <see cref="Validate"/> through an empty client id.</summary>
    public static OidcOptions From(IReadOnlyList<string> issuers, IReadOnlyList<string> clientIds, IReadOnlyList<string>? groupRoles = null)
    {
        var parsed = new List<OidcGroupRole>();
        var invalid = new List<FieldError>();
        foreach (var value in groupRoles ?? [])
        {
            if (ParseGroupRole(value) is { } mapping)
            {
                parsed.Add(mapping);
            }
            else
            {
                invalid.Add(new FieldError(GroupRoleFlag, value, $"use GROUP=ORG:ROLE, e.g. /nuage/acme-admins=acme:admin; ORG is {OrgNames.Accepted}; ROLE is one of: {Roles.Accepted}"));
            }
        }

        return new()
        {
            Issuers = [.. issuers.Select((url, i) => new OidcIssuerConfig(url, i < clientIds.Count ? clientIds[i] : string.Empty))],
            GroupRoles = parsed,
            InvalidGroupRoles = invalid,
        };
    }

    /// <summary>GROUP=ORG:ROLE, split at the last '=' (group names may hold '=' but org names never do).</summary>
    public static OidcGroupRole? ParseGroupRole(string value)
    {
        var equals = value.LastIndexOf('=');
        var colon = value.LastIndexOf(':');
        if (equals <= 0 || colon < equals)
        {
            return null;
        }

        var group = value[..equals];
        var org = value[(equals + 1)..colon];
        return OrgNames.IsValid(org) && Roles.TryParse(value[(colon + 1)..], out var role) && group.Trim().Length == group.Length
            ? new OidcGroupRole(group, org, role)
            : null;
    }

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var issuer in Issuers)
        {
            if (!Uri.TryCreate(issuer.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                errors.Add(new FieldError(IssuerFlag, issuer.Url, "use the issuer's http(s) URL without query, e.g. https://sso.example.com/realms/NAME"));
            }

            if (string.IsNullOrWhiteSpace(issuer.ClientId))
            {
                errors.Add(new FieldError(ClientIdFlag, issuer.ClientId, $"give one {ClientIdFlag} per {IssuerFlag} (the client registered for Nuage at {issuer.Url})"));
            }
        }

        errors.AddRange(InvalidGroupRoles);
        if (GroupRoles.Count > 0 && Issuers.Count == 0)
        {
            errors.Add(new FieldError(GroupRoleFlag, GroupRoles[0].Group, $"group mapping needs an issuer: add {IssuerFlag} and {ClientIdFlag}"));
        }

        return errors;
    }
}

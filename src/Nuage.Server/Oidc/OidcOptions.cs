using Nuage.Core.Errors;

namespace Nuage.Server.Oidc;

/// <summary>One OpenID Connect issuer the operator trusts for sign-in (e.g. a Keycloak realm URL).</summary>
public sealed record OidcIssuerConfig(string Url, string ClientId);

/// <summary>OpenID Connect issuers, from <c>--oidc-issuer URL --oidc-client-id ID</c> (paired in order).</summary>
public sealed record OidcOptions
{
    public const string IssuerFlag = "--oidc-issuer";
    public const string ClientIdFlag = "--oidc-client-id";

    public IReadOnlyList<OidcIssuerConfig> Issuers { get; init; } = [];

    /// <summary>Pairs the two flags' values; a count mismatch is reported by <see cref="Validate"/> through an empty client id.</summary>
    public static OidcOptions From(IReadOnlyList<string> issuers, IReadOnlyList<string> clientIds) => new()
    {
        Issuers = [.. issuers.Select((url, i) => new OidcIssuerConfig(url, i < clientIds.Count ? clientIds[i] : string.Empty))],
    };

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

        return errors;
    }
}

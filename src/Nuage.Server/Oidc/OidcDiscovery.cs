using System.Text.Json;
using Nuage.Core.Errors;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>What discovery found for one issuer (OpenID Connect Discovery 1.0).</summary>
public sealed record OidcIssuer(string Issuer, string ClientId, Uri JwksUri, Uri TokenEndpoint, Uri? DeviceAuthorizationEndpoint, int SigningKeys)
{
    /// <summary>Where browsers are sent for the authorization-code flow (console and <c>nuage login --oidc --browser</c>).</summary>
    public Uri? AuthorizationEndpoint { get; init; }

    /// <summary>What the console's button says ("Sign in with …"): the configured name, else the Keycloak realm or the host.</summary>
    public string DisplayName { get; init; } = string.Empty;

    /// <summary>This provider's own GROUP=ORG:ROLE mappings (<c>nuage auth provider add --group-role</c>); null: the server's <c>--oidc-group-role</c> ones.</summary>
    internal IReadOnlyList<OidcGroupRole>? GroupRoles { get; init; }

    /// <summary>A confidential client's secret (internal: never printed, never serialised).</summary>
    internal string? ClientSecret { get; init; }

    /// <summary>The scopes asked for at sign-in (space-separated, always with <c>openid</c>).</summary>
    public string Scopes { get; init; } = OidcClientAuth.DefaultScopes;

    /// <summary>How the client authenticates at the token endpoint: <c>none</c> (public), <c>client_secret_basic</c> or <c>client_secret_post</c>.</summary>
    public string TokenAuthMethod { get; init; } = OidcClientAuth.None;
}

/// <summary>
/// Reads <c>{issuer}/.well-known/openid-configuration</c> (<see cref="OidcDiscoveryDocument"/>) and the JWKS it names. A configured issuer that cannot be
/// discovered refuses the server's start, naming the URL and the reason (fix the flag or the network first).
/// </summary>
public static class OidcDiscovery
{
    public const string WellKnownPath = OidcDiscoveryDocument.WellKnownPath;

    public static async Task<IReadOnlyList<OidcIssuer>> DiscoverAllAsync(OidcOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        var found = new List<OidcIssuer>();
        var errors = new List<FieldError>();
        foreach (var issuer in options.Issuers)
        {
            try
            {
                found.Add(await DiscoverAsync(issuer, http, cancellationToken));
            }
            catch (DiscoveryException e)
            {
                errors.Add(new FieldError(OidcOptions.IssuerFlag, issuer.Url, e.Message));
            }
        }

        return errors.Count > 0 ? throw NuageException.Invalid(ErrorCodes.InvalidOption, errors) : found;
    }

    public static async Task<OidcIssuer> DiscoverAsync(OidcIssuerConfig config, HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await OidcDiscoveryDocument.FetchAsync(http, config.Url, cancellationToken);
            var jwks = document.Uri("jwks_uri");
            var token = document.Uri("token_endpoint");
            var secret = string.IsNullOrEmpty(config.ClientSecret) ? null : config.ClientSecret;
            var methods = document.Strings("token_endpoint_auth_methods_supported");
            var method = secret is null ? OidcClientAuth.None
                : OidcClientAuth.Choose(methods)
                    ?? throw new DiscoveryException($"discovery at {document.Url} lists token_endpoint_auth_methods_supported {string.Join(", ", methods ?? [])}: neither {OidcClientAuth.SecretBasic} nor {OidcClientAuth.SecretPost}, so a client secret cannot be used there");
            using var keys = await OidcDiscoveryDocument.GetJsonAsync(http, jwks.ToString(), cancellationToken);
            var count = keys.RootElement.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Array ? k.GetArrayLength() : 0;
            if (count == 0)
            {
                throw new DiscoveryException($"the key set at {jwks} holds no signing keys");
            }

            return new OidcIssuer(document.Issuer, config.ClientId, jwks, token, document.OptionalUri("device_authorization_endpoint"), count)
            {
                AuthorizationEndpoint = document.OptionalUri("authorization_endpoint"),
                DisplayName = DisplayNameOf(config),
                ClientSecret = secret,
                TokenAuthMethod = method,
                Scopes = string.IsNullOrWhiteSpace(config.Scopes) ? OidcClientAuth.DefaultScopes : config.Scopes,
            };
        }
        catch (OidcIssuerException e)
        {
            throw new DiscoveryException(e.Message);
        }
    }

    /// <summary>The configured name; else the realm of a Keycloak-shaped URL (<c>/realms/NAME</c>); else the host.</summary>
    public static string DisplayNameOf(OidcIssuerConfig config)
    {
        if (!string.IsNullOrWhiteSpace(config.Name))
        {
            return config.Name;
        }

        var uri = new Uri(config.Url);
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 2 && segments[^2] == "realms" ? Uri.UnescapeDataString(segments[^1]) : uri.Host;
    }

    internal sealed class DiscoveryException(string message) : Exception(message);
}

using System.Net.Http.Headers;
using System.Text;

namespace Nuage.Server.Oidc;

/// <summary>
/// How Nuage authenticates as the client at an issuer's endpoints (OpenID Connect Core §9): a public client sends its
/// <c>client_id</c> only (<c>none</c>); a confidential client sends its secret with HTTP Basic
/// (<c>client_secret_basic</c>, the default in the specification) unless the issuer's discovery lists only
/// <c>client_secret_post</c>, in which case the secret goes in the form.
/// </summary>
internal static class OidcClientAuth
{
    public const string None = "none";
    public const string SecretBasic = "client_secret_basic";
    public const string SecretPost = "client_secret_post";

    /// <summary>The identity, the email and the groups (Keycloak: add a "groups" client scope with a group mapper).</summary>
    public const string DefaultScopes = "openid email profile groups";

    /// <summary>The method for a client with a secret, from discovery's <c>token_endpoint_auth_methods_supported</c>
    /// (absent: <c>client_secret_basic</c>, the specification's default); null when the issuer supports neither.</summary>
    public static string? Choose(IReadOnlyList<string>? supported) =>
        supported is null || supported.Contains(SecretBasic) ? SecretBasic
        : supported.Contains(SecretPost) ? SecretPost
        : null;

    /// <summary>Adds the client's credentials to a form post for <paramref name="issuer"/>'s endpoints.</summary>
    public static void Apply(OidcIssuer issuer, HttpRequestMessage request, List<KeyValuePair<string, string>> form)
    {
        if (issuer.ClientSecret is not { } secret || issuer.TokenAuthMethod == None)
        {
            form.Add(new("client_id", issuer.ClientId));
        }
        else if (issuer.TokenAuthMethod == SecretPost)
        {
            form.Add(new("client_id", issuer.ClientId));
            form.Add(new("client_secret", secret));
        }
        else
        {
            // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
            var pair = Uri.EscapeDataString(issuer.ClientId) + ":" + Uri.EscapeDataString(secret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
    }
}

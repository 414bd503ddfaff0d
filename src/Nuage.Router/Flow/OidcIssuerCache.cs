using System.Collections.Concurrent;
using System.Text.Json;
using Nuage.Core.Oidc;

namespace Nuage.Router.Flow;

/// <summary>
/// The issuers protected apps sign in at: discovery (<c>{issuer}/.well-known/openid-configuration</c>), key set and ID-token
/// validator, kept per issuer and client across route publishes. A failed discovery is not kept: the next sign-in tries again.
/// </summary>
internal sealed class OidcIssuerCache(HttpClient http, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Issuer, string ClientId), Lazy<Task<OidcIssuerEntry>>> _entries = new();

    public HttpClient Http => http;

    /// <summary>The issuer's endpoints and validator; throws <see cref="OidcIssuerException"/> naming the URL when it cannot be discovered.</summary>
    public async Task<OidcIssuerEntry> GetAsync(string issuer, string clientId, CancellationToken cancellationToken)
    {
        var key = (issuer.TrimEnd('/'), clientId);
        var lazy = _entries.GetOrAdd(key, k => new Lazy<Task<OidcIssuerEntry>>(() => DiscoverAsync(k.Issuer, k.ClientId)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (OidcIssuerException)
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Lazy<Task<OidcIssuerEntry>>>(key, lazy));
            throw;
        }
    }

    private async Task<OidcIssuerEntry> DiscoverAsync(string issuer, string clientId)
    {
        var url = issuer + "/.well-known/openid-configuration";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        JsonDocument document;
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new OidcIssuerException($"{url} answered HTTP {(int)response.StatusCode}");
            }

            document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            throw new OidcIssuerException($"{url} could not be read: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var named = Text(root, "issuer", url);
            if (named.TrimEnd('/') != issuer)
            {
                throw new OidcIssuerException($"discovery at {url} names the issuer \"{named}\", not the configured one");
            }

            var jwks = UriOf(root, "jwks_uri", url);
            var keys = new OidcKeySet(jwks, http, time);
            return new OidcIssuerEntry(UriOf(root, "authorization_endpoint", url), UriOf(root, "token_endpoint", url), new IdTokenValidator(named, clientId, jwks, keys, time));
        }
    }

    private static string Text(JsonElement root, string name, string url) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw new OidcIssuerException($"discovery at {url} has no \"{name}\"");

    private static Uri UriOf(JsonElement root, string name, string url) =>
        Uri.TryCreate(Text(root, name, url), UriKind.Absolute, out var uri) ? uri : throw new OidcIssuerException($"discovery at {url} has an invalid \"{name}\"");
}

internal sealed record OidcIssuerEntry(Uri AuthorizationEndpoint, Uri TokenEndpoint, IdTokenValidator Validator);

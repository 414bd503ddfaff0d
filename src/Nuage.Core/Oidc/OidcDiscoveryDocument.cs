using System.Net.Http.Json;
using System.Text.Json;

namespace Nuage.Core.Oidc;

/// <summary>
/// An issuer's discovery document (OpenID Connect Discovery 1.0): read from <c>{issuer}/.well-known/openid-configuration</c>
/// and checked to name exactly the configured issuer (§4.3: tokens are checked against it). Shared by the server's sign-in
/// providers and the router's protected apps; every failure is an <see cref="OidcIssuerException"/> naming the URL and why.
/// </summary>
public sealed class OidcDiscoveryDocument : IDisposable
{
    public const string WellKnownPath = "/.well-known/openid-configuration";
    private readonly JsonDocument _json;

    private OidcDiscoveryDocument(string url, JsonDocument json)
    {
        Url = url;
        _json = json;
        Issuer = Text("issuer");
    }

    /// <summary>Where the document was read.</summary>
    public string Url { get; }

    /// <summary>The issuer as the document names it (the configured one, up to a trailing slash).</summary>
    public string Issuer { get; }

    public static async Task<OidcDiscoveryDocument> FetchAsync(HttpClient http, string issuer, CancellationToken cancellationToken)
    {
        issuer = issuer.TrimEnd('/');
        var url = issuer + WellKnownPath;
        var document = new OidcDiscoveryDocument(url, await GetJsonAsync(http, url, cancellationToken));
        if (document.Issuer.TrimEnd('/') != issuer)
        {
            var named = document.Issuer;
            document.Dispose();
            throw new OidcIssuerException($"discovery at {url} names the issuer \"{named}\", not the configured one");
        }

        return document;
    }

    /// <summary>A JSON document from the issuer (discovery, key set).</summary>
    public static async Task<JsonDocument> GetJsonAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new OidcIssuerException($"{url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken)
                ?? throw new OidcIssuerException($"{url} returned an empty document");
        }
        catch (HttpRequestException e)
        {
            throw new OidcIssuerException($"{url} is unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OidcIssuerException($"{url} did not answer in time");
        }
        catch (JsonException e)
        {
            throw new OidcIssuerException($"{url} is not a JSON document: {e.Message}");
        }
    }

    /// <summary>A required string member.</summary>
    public string Text(string name) =>
        _json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw new OidcIssuerException($"discovery at {Url} has no \"{name}\"");

    /// <summary>A required absolute URL member.</summary>
    public Uri Uri(string name) =>
        System.Uri.TryCreate(Text(name), UriKind.Absolute, out var uri) ? uri : throw new OidcIssuerException($"discovery at {Url} has an invalid \"{name}\"");

    /// <summary>An optional absolute URL member; null when absent or not a URL.</summary>
    public Uri? OptionalUri(string name) =>
        _json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && System.Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>An optional array of strings; null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name) =>
        _json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : null;

    public void Dispose() => _json.Dispose();
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Errors;

namespace Nuage.Cli.Client;

/// <summary>Typed client of the REST API. Problems become <see cref="ApiException"/>; a dead server becomes exit code 5.</summary>
public sealed partial class NuageClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _url;

    /// <summary>The header naming the organisation to act in (Nuage.Server.Security.TokenAuthenticator.OrgHeader).</summary>
    public const string OrgHeader = "X-Nuage-Org";

    public NuageClient(string url, string token, string? org = null)
    {
        _url = url.TrimEnd('/');
        if (!Uri.TryCreate(_url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw CliException.Invalid($"--url: \"{url}\" is not an http(s) URL; use e.g. http://127.0.0.1:7070");
        }

        _http = new HttpClient { BaseAddress = new Uri(_url + "/"), Timeout = TimeSpan.FromMinutes(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nuage-cli", "1.0"));
        if (!string.IsNullOrEmpty(org))
        {
            _http.DefaultRequestHeaders.Add(OrgHeader, org);
        }
    }

    public string Url => _url;

    public Task<WhoAmIDto> WhoAmIAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v1/whoami", null, CliJson.Default.WhoAmIDto, cancellationToken);

    public void Dispose() => _http.Dispose();

    internal async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        return (await response.Content.ReadFromJsonAsync(type, cancellationToken))!;
    }

    internal async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
    }

    internal static HttpContent Json<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    internal async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"Cannot reach the Nuage server at {_url}: {e.Message}. Is 'nuage server' running?");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new ApiException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken));
        }
    }

    private static async Task<ProblemDto> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, CliJson.Default.ProblemDto) ?? Fallback();
        }
        catch (JsonException)
        {
            return Fallback();
        }

        ProblemDto Fallback() => new() { Status = (int)response.StatusCode, Detail = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", Code = ErrorCodes.HttpError };
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Nuage.Server.Acme;

/// <summary>
/// The transport of RFC 8555: the directory, replay nonces (one kept from every response; a <c>badNonce</c> refusal
/// is retried with the nonce it carries), signed POSTs and POST-as-GET. No ACME client library restores from our
/// package feed, so the protocol is implemented here; <see cref="AcmeOrderFlow"/> drives an order with it.
/// </summary>
internal sealed class AcmeClient(HttpClient http, Uri directoryUrl, AcmeJws key, TimeProvider time)
{
    private const int BadNonceRetries = 5;
    private readonly Lock _nonceLock = new();
    private JsonElement? _directory;
    private string? _nonce;

    /// <summary>The account URL (JWS <c>kid</c>) once the account is known.</summary>
    public string? AccountUrl { get; set; }

    public AcmeJws Key => key;

    /// <summary>One answer from the CA: status, body, Location and Retry-After.</summary>
    public sealed record Reply(HttpStatusCode Status, JsonElement Body, string Text, Uri? Location, TimeSpan? RetryAfter);

    public async Task<string> EndpointAsync(string name, CancellationToken cancellationToken)
    {
        if (_directory is null)
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, directoryUrl), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw AcmeProblemException.FromBody(text, (int)response.StatusCode, RetryAfter(response));
            }

            _directory = ParseJson(text, directoryUrl);
        }

        return _directory.Value.TryGetProperty(name, out var url) && url.GetString() is { } value
            ? value
            : throw new AcmeProblemException("protocol", $"the ACME directory {directoryUrl} has no '{name}' endpoint", 0, null);
    }

    /// <summary>Signed POST (payload null = POST-as-GET). A problem answer throws <see cref="AcmeProblemException"/>.</summary>
    public async Task<Reply> PostAsync(string url, string? payload, CancellationToken cancellationToken, string? accept = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await NonceAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(key.Sign(url, nonce, AccountUrl, payload)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            using var response = await SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var retryAfter = RetryAfter(response);
            if (response.IsSuccessStatusCode)
            {
                var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
                return new Reply(response.StatusCode, isJson ? ParseJson(text, new Uri(url)) : default, text, response.Headers.Location, retryAfter);
            }

            var problem = AcmeProblemException.FromBody(text, (int)response.StatusCode, retryAfter);
            if (problem.Type == AcmeProblemException.BadNonce && attempt < BadNonceRetries)
            {
                continue; // the refusal carried a fresh nonce (kept by SendAsync): sign again with it
            }

            throw problem;
        }
    }

    private async Task<string> NonceAsync(CancellationToken cancellationToken)
    {
        lock (_nonceLock)
        {
            if (_nonce is { } kept)
            {
                _nonce = null;
                return kept;
            }
        }

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Head, await EndpointAsync("newNonce", cancellationToken)), cancellationToken);
        lock (_nonceLock)
        {
            var fresh = _nonce ?? throw new AcmeProblemException("protocol", "the CA's newNonce answered without a Replay-Nonce header", (int)response.StatusCode, null);
            _nonce = null;
            return fresh;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new AcmeProblemException("unreachable", $"cannot reach the ACME CA at {request.RequestUri}: {e.Message}", 0, null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AcmeProblemException("unreachable", $"the ACME CA at {request.RequestUri} did not answer in time", 0, null);
        }

        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces) && nonces.FirstOrDefault() is { Length: > 0 } nonce)
        {
            lock (_nonceLock)
            {
                _nonce = nonce;
            }
        }

        return response;
    }

    private static JsonElement ParseJson(string text, Uri from)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new AcmeProblemException("protocol", $"the CA answered {from} with something that is not JSON", 0, null);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
            _ => null,
        };
}

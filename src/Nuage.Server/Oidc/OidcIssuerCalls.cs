using System.Text.Json;
using Nuage.Core.Errors;

namespace Nuage.Server.Oidc;

/// <summary>Form posts to an issuer's endpoints and the OAuth error answers they give (RFC 6749 §5.2).</summary>
internal static class OidcIssuerCalls
{
    /// <summary>Posts <paramref name="form"/> to one of <paramref name="client"/>'s endpoints, authenticated as its client (<see cref="OidcClientAuth"/>).</summary>
    public static async Task<IssuerAnswer> PostFormAsync(HttpClient http, OidcIssuer client, Uri endpoint, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
            var fields = form.ToList();
            OidcClientAuth.Apply(client, request, fields);
            request.Content = new FormUrlEncodedContent(fields);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? json;
            try
            {
                json = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                throw Failed($"{endpoint} answered HTTP {(int)response.StatusCode} with something that is not JSON");
            }

            var answer = new IssuerAnswer(json);
            if (!response.IsSuccessStatusCode && answer.ErrorCode is null)
            {
                json.Dispose();
                throw Failed($"{endpoint} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return answer;
        }
        catch (HttpRequestException e)
        {
            throw Failed($"{endpoint} is unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed($"{endpoint} did not answer in time");
        }
    }

    public static string Text(JsonElement root, string name, Uri endpoint) =>
        OptionalText(root, name) ?? throw Failed($"{endpoint} answered without \"{name}\"");

    public static string? OptionalText(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int? OptionalInt(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static NuageException Failed(string message) => new(ErrorKind.Failed, ErrorCodes.OidcIssuerFailed, message);

    /// <summary>A JSON answer; <see cref="ErrorCode"/> is the OAuth <c>error</c> when the issuer refused.</summary>
    internal sealed class IssuerAnswer(JsonDocument json) : IDisposable
    {
        public JsonDocument? Json { get; } = json;

        public string? ErrorCode { get; } = OptionalText(json.RootElement, "error");

        /// <summary>The error and its description, for messages.</summary>
        public string? Error => ErrorCode is null ? null
            : OptionalText(Json!.RootElement, "error_description") is { } description ? $"{ErrorCode} ({description})" : ErrorCode;

        public void Dispose() => Json?.Dispose();
    }
}

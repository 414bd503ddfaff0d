using System.Text.Json;

namespace Nuage.Server.Acme;

/// <summary>
/// An ACME error: the CA's problem document (RFC 7807, types of RFC 8555 §6.7) or a failure to reach the CA, with the
/// <c>Retry-After</c> the CA asked for (rate limits, maintenance).
/// </summary>
internal sealed class AcmeProblemException(string type, string detail, int status, TimeSpan? retryAfter)
    : Exception($"{detail} ({type})")
{
    public const string BadNonce = "urn:ietf:params:acme:error:badNonce";
    public const string RateLimited = "urn:ietf:params:acme:error:rateLimited";

    /// <summary>The problem type URN, or <c>unreachable</c>/<c>protocol</c> for failures that carry no problem document.</summary>
    public string Type { get; } = type;

    public string Detail { get; } = detail;

    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>What the domain listing shows as its last error: the CA's detail and its problem type.</summary>
    public string Describe() => $"{Detail} [{Type}]";

    /// <summary>Reads a problem document (and its subproblems' details) from a response body.</summary>
    public static AcmeProblemException FromBody(string body, int status, TimeSpan? retryAfter)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return FromJson(json.RootElement, status, retryAfter);
        }
        catch (JsonException)
        {
            return new AcmeProblemException("protocol", $"the CA answered HTTP {status} without a problem document", status, retryAfter);
        }
    }

    public static AcmeProblemException FromJson(JsonElement problem, int status, TimeSpan? retryAfter)
    {
        var type = problem.TryGetProperty("type", out var t) ? t.GetString() ?? "about:blank" : "about:blank";
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        if (problem.TryGetProperty("subproblems", out var subs) && subs.ValueKind == JsonValueKind.Array)
        {
            var parts = subs.EnumerateArray().Select(s => s.TryGetProperty("detail", out var sd) ? sd.GetString() : null).OfType<string>().ToList();
            if (parts.Count > 0)
            {
                detail = $"{detail}: {string.Join("; ", parts)}";
            }
        }

        return new AcmeProblemException(type, detail.Length > 0 ? detail : $"the CA refused the request (HTTP {status})", status, retryAfter);
    }
}

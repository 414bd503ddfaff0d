using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains.Transports;

/// <summary>Shared HTTP plumbing: auth header, POST, error reporting.</summary>
internal abstract class HttpTransportBase(HttpClient http, DrainConfig drain) : IDrainTransport
{
    protected DrainConfig Drain => drain;

    public abstract Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct);

    protected async Task<HttpResponseMessage> PostAsync(HttpContent content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, drain.Url) { Content = content };
        if (drain.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (drain.Username is { Length: > 0 } user)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + drain.Password));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is DrainDeliveryException refused)
        {
            throw new DrainDeliveryException(refused.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            // Refused, reset, timed out or not HTTP: one message, so the drain cannot probe which ports are open.
            throw new DrainDeliveryException($"{Host}: connection failed", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DrainDeliveryException($"{Host}: connection failed", ex);
        }
    }

    /// <summary>
    /// A non-2xx answer is reported by its status code only: the body (and the server-chosen reason phrase) never
    /// reaches lastError, so a drain cannot be used to read what a service answers.
    /// </summary>
    protected static void EnsureSuccess(HttpResponseMessage response, string host)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new DrainDeliveryException($"{host} answered HTTP {StatusText(response.StatusCode)}");
        }
    }

    internal static string StatusText(HttpStatusCode status) =>
        Enum.IsDefined(status) ? $"{(int)status} ({status})" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected string Host => new Uri(drain.Url).Authority;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>http: the batch as gzip-compressed NDJSON in one POST.</summary>
internal sealed class HttpNdjsonTransport(HttpClient http, DrainConfig drain) : HttpTransportBase(http, drain)
{
    public override async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        using var body = new MemoryStream();
        using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip))
        {
            foreach (var record in batch)
            {
                JsonFormatters.WritePlain(json, record, Drain.AppName);
                json.Flush();
                json.Reset();
                gzip.WriteByte((byte)'\n');
            }
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await PostAsync(content, ct);
        EnsureSuccess(response, Host);
        return DeliveryResult.Ok;
    }
}

/// <summary>otlp: OTLP/HTTP protobuf (ExportLogsServiceRequest) to the logs endpoint (/v1/logs added when the URL has no path).</summary>
internal sealed class OtlpHttpTransport(HttpClient http, DrainConfig drain) : HttpTransportBase(http, drain with { Url = LogsUrl(drain.Url) })
{
    private static string LogsUrl(string url)
    {
        var uri = new Uri(url);
        return uri.AbsolutePath is "" or "/" ? new Uri(uri, "/v1/logs").ToString() : url;
    }

    public override async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        using var content = new ByteArrayContent(OtlpLogsEncoder.Encode(batch, Drain.AppName));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await PostAsync(content, ct);
        EnsureSuccess(response, Host);
        return DeliveryResult.Ok;
    }
}

/// <summary>
/// elasticsearch: the _bulk API with ECS documents. Each record is a "create" with id app-sequence, so a resent
/// record answers 409 and is not indexed twice. Items answering 429 or 5xx are retried; other 4xx are skipped and reported.
/// </summary>
internal sealed class ElasticsearchTransport(HttpClient http, DrainConfig drain, string hostname) : HttpTransportBase(http, drain)
{
    public override async Task<DeliveryResult> SendAsync(IReadOnlyList<StoredLogRecord> batch, CancellationToken ct)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            foreach (var record in batch)
            {
                json.WriteStartObject();
                json.WriteStartObject("create");
                json.WriteString("_id", $"{record.Record.AppId}-{record.Sequence}");
                json.WriteEndObject();
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                body.WriteByte((byte)'\n');
                JsonFormatters.WriteEcs(json, record, Drain.AppName, hostname);
                json.Flush();
                json.Reset();
                body.WriteByte((byte)'\n');
            }
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await PostAsync(content, ct);
        EnsureSuccess(response, Host);
        using var result = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return Interpret(result.RootElement, batch);
    }

    internal static DeliveryResult Interpret(JsonElement root, IReadOnlyList<StoredLogRecord> batch)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.True)
        {
            return DeliveryResult.Ok;
        }

        var items = root.GetProperty("items");
        if (items.GetArrayLength() != batch.Count)
        {
            throw new DrainDeliveryException($"_bulk answered {items.GetArrayLength()} items for {batch.Count} documents");
        }

        var retry = new List<StoredLogRecord>();
        var skipped = 0;
        string? reason = null;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var result = item.EnumerateObject().First().Value;
            var status = result.GetProperty("status").GetInt32();
            if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
            {
                retry.Add(batch[index]);
            }
            else if (status >= 400 && status != (int)HttpStatusCode.Conflict)
            {
                skipped++;
                reason ??= $"document {batch[index].Sequence}: {status} {Describe(result)}";
            }

            index++;
        }

        return new DeliveryResult(skipped, reason, retry);
    }

    /// <summary>Only Elasticsearch's error type (e.g. mapper_parsing_exception), checked to be one: never free text from the answer.</summary>
    private static string Describe(JsonElement result) =>
        result.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is { Length: > 0 and <= 64 } name && name.All(c => c is (>= 'a' and <= 'z') or '_')
            ? name
            : "rejected";
}

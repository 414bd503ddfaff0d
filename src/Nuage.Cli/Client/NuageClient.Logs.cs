using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Client;

/// <summary>What <c>nuage logs</c> asks for; times are passed through for the server to parse.</summary>
public sealed record LogsQuery(string? Since = null, string? Until = null, string? Search = null, string? Source = null, string? Instance = null, int? Limit = null);

public sealed partial class NuageClient
{
    /// <summary>Delays between reconnection attempts of a follow whose connection dropped.</summary>
    public static IReadOnlyList<TimeSpan> ReconnectDelays { get; } = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    public Task<List<LogLineDto>> GetLogsAsync(string app, LogsQuery query, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/logs{QueryString(query, null)}", null, CliJson.Default.ListLogLineDto, cancellationToken);

    /// <summary>An add-on's log: its database server's own lines.</summary>
    public Task<List<LogLineDto>> GetAddonLogsAsync(string addon, LogsQuery query, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/addons/{Uri.EscapeDataString(addon)}/logs{QueryString(query, null)}", null, CliJson.Default.ListLogLineDto, cancellationToken);

    /// <summary>Follows an add-on's log, resuming like <see cref="FollowLogsAsync"/>.</summary>
    public IAsyncEnumerable<LogLineDto> FollowAddonLogsAsync(string addon, LogsQuery query, Action<string>? onReconnecting, CancellationToken cancellationToken) =>
        FollowAtAsync($"v1/addons/{Uri.EscapeDataString(addon)}/logs/stream", query, onReconnecting, cancellationToken);

    /// <summary>
    /// Follows the app's log over Server-Sent Events. When an established connection drops, reconnects with the
    /// last sequence seen (Last-Event-ID), so no line is skipped or repeated; <paramref name="onReconnecting"/> is told.
    /// A failure of the first connection (or a refusal by the server) is thrown.
    /// </summary>
    public IAsyncEnumerable<LogLineDto> FollowLogsAsync(string app, LogsQuery query, Action<string>? onReconnecting, CancellationToken cancellationToken) =>
        FollowAtAsync($"v1/apps/{Uri.EscapeDataString(app)}/logs/stream", query, onReconnecting, cancellationToken);

    private async IAsyncEnumerable<LogLineDto> FollowAtAsync(
        string stream, LogsQuery query, Action<string>? onReconnecting, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? last = null;
        var attempt = 0;
        while (true)
        {
            var path = $"{stream}{QueryString(last is null ? query : query with { Since = null }, null)}";
            HttpResponseMessage response;
            try
            {
                response = await OpenStreamAsync(path, last, cancellationToken);
            }
            catch (CliException e) when (last is not null || attempt > 0)
            {
                onReconnecting?.Invoke(e.Message);
                await Task.Delay(ReconnectDelays[Math.Min(attempt++, ReconnectDelays.Count - 1)], cancellationToken);
                continue;
            }

            using (response)
            {
                var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
                var lines = ReadEventsAsync(reader, CliJson.Default.LogLineDto, cancellationToken).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (true)
                    {
                        SseEvent<LogLineDto> sse;
                        try
                        {
                            if (!await lines.MoveNextAsync())
                            {
                                break;
                            }

                            sse = lines.Current;
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                        {
                            break;
                        }

                        attempt = 0;
                        if (sse.Data is { } line)
                        {
                            last = line.Seq;
                            yield return line;
                        }
                        else if (sse.Id is { } position)
                        {
                            last = position;
                        }
                    }
                }
                finally
                {
                    await lines.DisposeAsync();
                }
            }

            if (query.Until is not null && last is not null)
            {
                yield break;
            }

            onReconnecting?.Invoke($"the log stream from {_url} ended");
            await Task.Delay(ReconnectDelays[Math.Min(attempt++, ReconnectDelays.Count - 1)], cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> OpenStreamAsync(string path, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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

    /// <summary>One SSE block: an item (data), or only a position (an <c>id:</c> without data).</summary>
    private readonly record struct SseEvent<T>(long? Id, T? Data)
        where T : class;

    /// <summary>Parses the SSE stream: <c>id:</c> and <c>data:</c> lines up to a blank line form one event; comments are skipped.</summary>
    private static async IAsyncEnumerable<SseEvent<T>> ReadEventsAsync<T>(StreamReader reader, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var data = new StringBuilder();
        long? id = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || id is not null)
                {
                    yield return new SseEvent<T>(id, data.Length > 0 ? JsonSerializer.Deserialize(data.ToString(), type) : null);
                    data.Clear();
                    id = null;
                }
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                id = parsed;
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
            }
        }
    }

    private static string QueryString(LogsQuery query, long? after)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("since", query.Since);
        Add("until", query.Until);
        Add("search", query.Search);
        Add("source", query.Source);
        Add("instance", query.Instance);
        Add("limit", query.Limit?.ToString(CultureInfo.InvariantCulture));
        Add("after", after?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    public Task<DrainDto> CreateDrainAsync(string app, CreateDrainRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/drains", Json(request, CliJson.Default.CreateDrainRequest), CliJson.Default.DrainDto, cancellationToken);

    public Task<List<DrainDto>> ListDrainsAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/drains", null, CliJson.Default.ListDrainDto, cancellationToken);

    public Task<DrainDto> CreateAddonDrainAsync(string addon, CreateDrainRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/addons/{Uri.EscapeDataString(addon)}/drains", Json(request, CliJson.Default.CreateDrainRequest), CliJson.Default.DrainDto, cancellationToken);

    public Task<List<DrainDto>> ListAddonDrainsAsync(string addon, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/addons/{Uri.EscapeDataString(addon)}/drains", null, CliJson.Default.ListDrainDto, cancellationToken);

    public Task DeleteAddonDrainAsync(string addon, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/addons/{Uri.EscapeDataString(addon)}/drains/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<DrainDto> SetDrainEnabledAsync(string app, string id, bool enabled, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/drains/{Uri.EscapeDataString(id)}/{(enabled ? "enable" : "disable")}", null, CliJson.Default.DrainDto, cancellationToken);

    public Task DeleteDrainAsync(string app, string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/drains/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<MetricsSummaryDto> GetMetricsSummaryAsync(string? app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, app is null ? "v1/metrics/summary" : $"v1/metrics/summary?app={Uri.EscapeDataString(app)}", null, CliJson.Default.MetricsSummaryDto, cancellationToken);
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Nuage.Cli.Mcp;

/// <summary>
/// <c>nuage mcp</c>: an MCP server on stdio that forwards every JSON-RPC message to the Nuage server's <c>/mcp</c>
/// endpoint with the CLI's token, and writes the answers back. Tools, roles, limits and audit all stay on the server.
/// </summary>
public sealed class McpStdioProxy(Uri endpoint, string token, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private string? _protocolVersion;

    /// <summary>Reads newline-delimited messages until stdin closes, answering each as it completes.</summary>
    public async Task RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            pending.RemoveAll(t => t.IsCompleted);
            var forward = ForwardAsync(line, output, cancellationToken);
            if (line.Contains("\"initialize\"", StringComparison.Ordinal))
            {
                // The protocol version negotiated here goes on every later request: wait for it.
                await forward;
            }
            else
            {
                pending.Add(forward);
            }
        }

        await Task.WhenAll(pending);
    }

    private async Task ForwardAsync(string line, TextWriter output, CancellationToken cancellationToken)
    {
        JsonNode? id = null;
        try
        {
            var message = JsonNode.Parse(line) as JsonObject;
            id = message?["id"]?.DeepClone();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(line, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (_protocolVersion is not null)
            {
                request.Headers.Add("MCP-Protocol-Version", _protocolVersion);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var detail = JsonNode.Parse(body.Length > 0 && body[0] == '{' ? body : "{}")?["detail"]?.GetValue<string>() ?? body;
                await ErrorAsync(output, id, -32001, $"{(int)response.StatusCode} {response.StatusCode}: {detail}", cancellationToken);
                return;
            }

            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                await RelayEventsAsync(await response.Content.ReadAsStreamAsync(cancellationToken), output, cancellationToken);
            }
            else
            {
                await WriteAsync(output, await response.Content.ReadAsStringAsync(cancellationToken), cancellationToken);
            }
        }
        catch (HttpRequestException e)
        {
            await ErrorAsync(output, id, -32002, $"The Nuage server at {endpoint} is unreachable: {e.Message}", cancellationToken);
        }
        catch (System.Text.Json.JsonException e)
        {
            await ErrorAsync(output, null, -32700, $"Parse error: {e.Message}", cancellationToken);
        }
    }

    private async Task RelayEventsAsync(Stream stream, TextWriter output, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                await WriteAsync(output, data.ToString(), cancellationToken);
                data.Clear();
            }
        }

        if (data.Length > 0)
        {
            await WriteAsync(output, data.ToString(), cancellationToken);
        }
    }

    private async Task WriteAsync(TextWriter output, string json, CancellationToken cancellationToken)
    {
        var node = JsonNode.Parse(json);
        if (node?["result"]?["protocolVersion"]?.GetValue<string>() is { } version)
        {
            _protocolVersion = version;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await output.WriteLineAsync(node!.ToJsonString());
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Task ErrorAsync(TextWriter output, JsonNode? id, int code, string message, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return Task.CompletedTask; // A notification gets no answer, even an error.
        }

        var error = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
        return WriteAsync(output, error.ToJsonString(), cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _writeLock.Dispose();
    }
}

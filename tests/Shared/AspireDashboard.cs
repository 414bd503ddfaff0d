using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Nuage.Tests.Shared;

/// <summary>
/// A real OTLP receiver: the standalone Aspire dashboard (NuGet Aspire.Dashboard.Sdk.linux-x64, restored by
/// tests/Shared/AspireDashboard.props) started on free loopback ports with anonymous access, its OTLP/HTTP endpoint
/// taking logs and traces and its telemetry API (/api/telemetry/logs, /api/telemetry/traces) reading them back.
/// </summary>
internal sealed class AspireDashboard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;

    private AspireDashboard(Process process, StringBuilder output, string apiUrl, string otlpHttpUrl)
    {
        _process = process;
        _output = output;
        _http = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(30) };
        OtlpHttpUrl = otlpHttpUrl;
    }

    /// <summary>The OTLP/HTTP base URL (signals at /v1/logs and /v1/traces).</summary>
    public string OtlpHttpUrl { get; }

    /// <summary>What the dashboard printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AspireDashboard> StartAsync()
    {
        var path = typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AspireDashboardPath").Value!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The Aspire dashboard is not at {path}: restore the test project (package Aspire.Dashboard.Sdk.linux-x64).");
        }

        var frontend = FreePort();
        var otlpGrpc = FreePort();
        var otlpHttp = FreePort();
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontend}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpGrpc}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpHttp}";
        info.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        info.Environment["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        info.Environment["DASHBOARD__OTLP__AUTHMODE"] = "Unsecured";
        info.Environment["DASHBOARD__API__ENABLED"] = "true";
        info.Environment["DASHBOARD__API__AUTHMODE"] = "Unsecured";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new AspireDashboard(process, output, $"http://127.0.0.1:{frontend}", $"http://127.0.0.1:{otlpHttp}");
        try
        {
            await dashboard.WaitUntilAnsweringAsync();
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }

        return dashboard;
    }

    /// <summary>Every log record the dashboard holds, each with its resource's attributes.</summary>
    public async Task<IReadOnlyList<OtlpLog>> LogsAsync()
    {
        using var doc = await GetAsync("/api/telemetry/logs");
        var logs = new List<OtlpLog>();
        foreach (var resourceLogs in Array(doc.RootElement.GetProperty("data"), "resourceLogs"))
        {
            var resource = Attributes(resourceLogs.TryGetProperty("resource", out var r) ? r : default);
            foreach (var scopeLogs in Array(resourceLogs, "scopeLogs"))
            {
                foreach (var record in Array(scopeLogs, "logRecords"))
                {
                    var body = record.TryGetProperty("body", out var b) && b.TryGetProperty("stringValue", out var s) ? s.GetString() ?? "" : "";
                    var traceId = record.TryGetProperty("traceId", out var t) ? t.GetString() ?? "" : "";
                    logs.Add(new OtlpLog(resource, body, Attributes(record), traceId));
                }
            }
        }

        return logs;
    }

    /// <summary>Every span the dashboard holds, each with its resource's attributes.</summary>
    public async Task<IReadOnlyList<OtlpSpan>> SpansAsync()
    {
        using var doc = await GetAsync("/api/telemetry/traces");
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Array(doc.RootElement.GetProperty("data"), "resourceSpans"))
        {
            var resource = Attributes(resourceSpans.TryGetProperty("resource", out var r) ? r : default);
            foreach (var scopeSpans in Array(resourceSpans, "scopeSpans"))
            {
                foreach (var span in Array(scopeSpans, "spans"))
                {
                    spans.Add(new OtlpSpan(
                        resource,
                        Text(span, "traceId"),
                        Text(span, "spanId"),
                        Text(span, "parentSpanId"),
                        Text(span, "name"),
                        Attributes(span)));
                }
            }
        }

        return spans;
    }

    /// <summary>Polls the telemetry API until the condition holds (generous timeout; never a performance threshold).</summary>
    public async Task<T> UntilAsync<T>(Func<AspireDashboard, Task<T>> read, Func<T, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read(this);
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds}s waiting for {what} at the Aspire dashboard. Dashboard output:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Aspire dashboard exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("/api/telemetry/resources", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The Aspire dashboard did not answer its telemetry API within 60s:\n{Output}");
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} at the Aspire dashboard answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body);
    }

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    /// <summary>OTLP JSON attributes as strings (stringValue, intValue or boolValue).</summary>
    private static Dictionary<string, string> Attributes(JsonElement parent)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(parent, "attributes"))
        {
            var value = attribute.GetProperty("value");
            foreach (var kind in new[] { "stringValue", "intValue", "boolValue", "doubleValue" })
            {
                if (value.TryGetProperty(kind, out var v))
                {
                    result[attribute.GetProperty("key").GetString()!] = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
                    break;
                }
            }
        }

        return result;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

internal sealed record OtlpLog(Dictionary<string, string> Resource, string Body, Dictionary<string, string> Attributes, string TraceId);

internal sealed record OtlpSpan(
    Dictionary<string, string> Resource, string TraceId, string SpanId, string ParentSpanId, string Name, Dictionary<string, string> Attributes);

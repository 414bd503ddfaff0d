using Microsoft.AspNetCore.Routing;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

/// <summary>Every REST endpoint the running server maps under /v1, read from its routing table (so new ones are covered).</summary>
internal sealed record ApiEndpoint(string Method, string Pattern)
{
    public bool IsMutating => Method is not ("GET" or "HEAD" or "OPTIONS");

    public bool NamesApp => Pattern.Contains("{app}", StringComparison.Ordinal);

    public bool NamesAddon => Pattern.Contains("{addon}", StringComparison.Ordinal);

    public bool IsStream => Pattern.EndsWith("/stream", StringComparison.Ordinal) || Pattern.EndsWith("/events", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Pattern}";

    public static IReadOnlyList<ApiEndpoint> Of(RunningServer server)
    {
        var source = (EndpointDataSource)server.Server.Services.GetService(typeof(EndpointDataSource))!;
        return [.. source.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Pattern.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => new ApiEndpoint(m, e.Pattern)))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];
    }

    /// <summary>The path with every route parameter filled in: the app, add-on and organisation given, harmless values elsewhere.</summary>
    public string Path(string app, string org, string addon, string email = "someone@example.test")
    {
        var path = Pattern
            .Replace("{app}", app, StringComparison.Ordinal)
            .Replace("{addon}", addon, StringComparison.Ordinal)
            .Replace("{backup}", "bk_0000000000000000", StringComparison.Ordinal)
            .Replace("{org}", org, StringComparison.Ordinal)
            .Replace("{email}", Uri.EscapeDataString(email), StringComparison.Ordinal)
            .Replace("{name}", "SOME_VARIABLE", StringComparison.Ordinal)
            .Replace("{domain}", "www.example.test", StringComparison.Ordinal)
            .Replace("{user}", "someone", StringComparison.Ordinal)
            .Replace("{id}", "dep_0000000000000000", StringComparison.Ordinal)
            .Replace("{address}", "192.0.2.254", StringComparison.Ordinal);
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        return path.TrimStart('/');
    }

    public async Task<HttpResponseMessage> SendAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), path);
        if (IsMutating)
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Foundation;

/// <summary>
/// Issue #16 (idle cost): an idle <c>nuage server</c> does not load the MCP SDK nor the OpenAPI generator; both are
/// built on their first request and then answer as before. A real server process, so its memory map is its own.
/// </summary>
public sealed class IdleFootprintTests
{
    private static readonly string[] LazyAssemblies =
        ["ModelContextProtocol.dll", "ModelContextProtocol.Core.dll", "ModelContextProtocol.AspNetCore.dll", "Microsoft.AspNetCore.OpenApi.dll", "Microsoft.OpenApi.dll"];

    [Fact]
    public async Task IdleServer_MapsNeitherMcpNorOpenApi_UntilTheirFirstRequest_ThenBothAnswer()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        using var server = ServerProcess.Start(dir, api, ServerProcess.FreePort());
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };

            Assert.Empty(Mapped(server.Id));

            // The gate stays in front of the lazy branch: refused calls build nothing.
            using (var anonymous = await http.SendAsync(McpRequest(token: null)))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            Assert.Empty(Mapped(server.Id));

            // Concurrent first requests: the SDK is built once and every caller gets its answer.
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var response = await http.SendAsync(McpRequest(token));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }));
            Assert.All(answers, a =>
            {
                Assert.Equal(HttpStatusCode.OK, a.StatusCode);
                Assert.Contains("\"list_apps\"", a.Body, StringComparison.Ordinal);
            });
            Assert.Contains("ModelContextProtocol.Core.dll", Mapped(server.Id));
            Assert.DoesNotContain("Microsoft.OpenApi.dll", Mapped(server.Id));

            var document = await http.GetStringAsync("openapi/v1.json");
            Assert.Contains("\"/v1/apps\"", document, StringComparison.Ordinal);
            Assert.Contains("\"CreateAppRequest\"", document, StringComparison.Ordinal); // bodies told from DI-bound parameters
            Assert.DoesNotContain("\"AppService\"", document, StringComparison.Ordinal);
            Assert.Contains("Microsoft.OpenApi.dll", Mapped(server.Id));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    private static HttpRequestMessage McpRequest(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>Which of the lazily built assemblies the process has mapped.</summary>
    private static List<string> Mapped(int pid) =>
        [.. File.ReadLines($"/proc/{pid}/maps").Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()))
            .Where(LazyAssemblies.Contains).Distinct()];
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>A real `nuage server` child process killed with SIGKILL, then started again: what clients see meanwhile.</summary>
public sealed class RestartProgressTests
{
    [Fact]
    public async Task ServerRestartedAfterSigkill_KnownAppNeverAnswers404WhileItsRouteIsRestored()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        using var first = ServerProcess.Start(dir, api, http);
        await ServerProcess.WaitHealthyAsync(api);
        using var client = await ClientAsync(dir, api);
        (await client.PostAsync("v1/apps", Json("""{"name":"web","runtime":"node"}"""))).EnsureSuccessStatusCode();
        var id = await Deployer.StartAsync(client, "web", Deployer.Example("node"));
        Assert.Equal("succeeded", (await Deployer.WaitAsync(client, "web", id)).GetProperty("state").GetString());
        first.Kill();
        await first.WaitForExitAsync();

        // Poll the app through the router from before the new server starts until it serves again.
        var seen = new ConcurrentQueue<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var poller = PollAsync(http, seen, stop.Token);
        using var second = ServerProcess.Start(dir, api, http);
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (!seen.Contains(HttpStatusCode.OK))
            {
                await Task.Delay(20, deadline.Token);
            }

            await stop.CancelAsync();
            await poller;
            Assert.DoesNotContain(HttpStatusCode.NotFound, seen);
        }
        finally
        {
            // The app's instance outlives servers by design; this test's must not outlive the test.
            try
            {
                (await client.DeleteAsync("v1/apps/web")).Dispose();
            }
            catch (HttpRequestException)
            {
                // The server did not come up: nothing more to do here.
            }

            second.Kill();
            await second.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ServerKilledDuringBuild_FollowerResumingWithItsLastEventId_GetsTheFailedOutcomeAtTheInterruptedStage()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        using var first = ServerProcess.Start(dir, api, http);
        await ServerProcess.WaitHealthyAsync(api);
        using var client = await ClientAsync(dir, api);
        (await client.PostAsync("v1/apps", Json("""{"name":"web","runtime":"node"}"""))).EnsureSuccessStatusCode();
        (await client.PutAsync("v1/apps/web/env/CC_PRE_BUILD_HOOK", Json("""{"value":"echo one; echo two; sleep 600"}"""))).EnsureSuccessStatusCode();
        var id = await Deployer.StartAsync(client, "web", Deployer.Example("node"));

        long last = 0;
        await foreach (var e in EventsAsync(client, id, null))
        {
            last = e.GetProperty("seq").GetInt64();
            if (e.TryGetProperty("message", out var message) && message.GetString() == "two")
            {
                break;
            }
        }

        first.Kill();
        await first.WaitForExitAsync();
        using var second = ServerProcess.Start(dir, api, http);
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var resumed = new List<JsonElement>();
            await foreach (var e in EventsAsync(client, id, last))
            {
                resumed.Add(e);
            }

            var finished = Assert.Single(resumed, e => e.GetProperty("type").GetString() == "finished");
            Assert.Equal("failed", finished.GetProperty("state").GetString());
            Assert.Equal("pre-build-hook", finished.GetProperty("stage").GetString());
            Assert.All(resumed, e => Assert.True(e.GetProperty("seq").GetInt64() > last, e.GetRawText()));
            var record = await Deployer.WaitAsync(client, "web", id);
            Assert.Equal("pre-build-hook", record.GetProperty("failedStage").GetString());
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }
    }

    /// <summary>The deployment's events as Server-Sent Events, resumed after <paramref name="lastEventId"/> when given.</summary>
    private static async IAsyncEnumerable<JsonElement> EventsAsync(HttpClient client, string id, long? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/apps/web/deployments/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }
    }

    private static async Task PollAsync(int http, ConcurrentQueue<HttpStatusCode> seen, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/");
                request.Headers.Host = "web.localhost";
                using var response = await client.SendAsync(request, CancellationToken.None);
                seen.Enqueue(response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Nothing listens yet: a refused connection never claims the app does not exist.
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    private static async Task<HttpClient> ClientAsync(TempDirectory dir, int api)
    {
        var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

using System.Collections.Concurrent;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

public sealed class ZeroDowntimeTests
{
    /// <summary>
    /// The proof of the router issue at platform level: real deploys (unpack, start, health check, switch, drain,
    /// stop) under a steady loopback load. Load is bounded: 4 clients, and it stops when the redeploys are done.
    /// </summary>
    [Fact]
    public async Task TenRedeploysUnderLoad_AlternatingVersions_ZeroFailedRequests()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node", "--instances", "2")).ExitCode);
        var versionA = Deployer.CopyExample(server, "node", "version-a");
        var versionB = Deployer.CopyExample(server, "node", "version-b");
        foreach (var (dir, tag) in new[] { (versionA, "A"), (versionB, "B") })
        {
            var source = await File.ReadAllTextAsync(Path.Combine(dir, "index.js"));
            await File.WriteAllTextAsync(Path.Combine(dir, "index.js"), source.Replace("runtime=node", $"version={tag} runtime=node", StringComparison.Ordinal));
        }

        await Deployer.DeployOkAsync(server, "web", versionA);
        var failures = new ConcurrentBag<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var requests = 0;
            while (!stop.IsCancellationRequested && requests++ < 200_000)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, server.Server.RouterAddress);
                    request.Headers.Host = "web.localhost";
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode != 200)
                    {
                        failures.Add($"{(int)response.StatusCode}: {body[..Math.Min(80, body.Length)]}");
                    }
                    else
                    {
                        seen.AddOrUpdate(body[..9], 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add(e.Message);
                }
            }
        })).ToList();

        for (var i = 0; i < 10; i++)
        {
            var deployment = await Deployer.DeployAsync(server, "web", i % 2 == 0 ? versionB : versionA);
            Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(seen.GetValueOrDefault("version=A") > 0 && seen.GetValueOrDefault("version=B") > 0, string.Join(", ", seen));
        Assert.StartsWith("version=A", (await Deployer.GetAppAsync(server, "web")).Body, StringComparison.Ordinal);
    }
}

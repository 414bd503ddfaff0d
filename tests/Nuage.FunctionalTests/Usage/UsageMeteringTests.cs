using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.Core.Usage;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.State.Sqlite;

namespace Nuage.FunctionalTests.Usage;

/// <summary>
/// Usage metering with real processes: a real `nuage server` child process is SIGKILLed while an app runs two
/// instances; one instance dies while the server is down. The intervals in the state store then show the exact count
/// model: the surviving instance keeps one open interval (no gap, no split), the dead one is closed at the last time
/// the server saw it alive (never later than the kill), its restart opens a new interval after the downtime, and the
/// usage API sums exactly those intervals.
/// </summary>
public sealed class UsageMeteringTests
{
    [Fact]
    public async Task ServerKilledWithSigkill_OneInstanceDiesMeanwhile_IntervalsFollowTheCountModel()
    {
        using var dir = new TempDirectory();
        var prices = dir.Combine("prices.json");
        await File.WriteAllTextAsync(prices, """{ "currency": "EUR", "flavors": { "nano": 3.6 }, "plans": {} }""");
        var api = ServerProcess.FreePort();
        var httpPort = ServerProcess.FreePort();
        var server = ServerProcess.Start(dir, api, httpPort, null, "--prices", prices);
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var begin = DateTimeOffset.UtcNow.AddSeconds(-1);
            (await client.PostAsJsonAsync("v1/apps", new { name = "meter", runtime = "node" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("v1/apps/meter/scale", new { instances = 2 })).EnsureSuccessStatusCode();
            var source = Path.Combine(dir.Path, "meter");
            Directory.CreateDirectory(source);
            await File.WriteAllTextAsync(Path.Combine(source, "package.json"), "{\"name\":\"meter\",\"version\":\"1.0.0\",\"main\":\"index.js\"}");
            await File.WriteAllTextAsync(Path.Combine(source, "index.js"),
                "require(\"node:http\").createServer((req, res) => res.end(\"ok\")).listen(Number(process.env.PORT), \"127.0.0.1\");");
            var id = await Deployer.StartAsync(client, "meter", source);
            Assert.Equal("succeeded", (await Deployer.WaitAsync(client, "meter", id)).GetProperty("state").GetString());

            var instances = (await InstancesAsync(client)).Where(i => i.Status == "running").OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
            Assert.Equal(2, instances.Count);
            var (survivor, victim) = (instances[0], instances[1]);
            var before = await WaitForOpenIntervalsAsync(dir, [survivor.Id, victim.Id]);
            Assert.Equal(survivor.StartedAt.ToUnixTimeMilliseconds(), before[survivor.Id].StartedAt);
            Assert.Equal(victim.StartedAt.ToUnixTimeMilliseconds(), before[victim.Id].StartedAt);

            // The server dies; while it is down, one of the two instances dies too (its whole process group).
            server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
            var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using (var kill = Process.Start("kill", ["-KILL", "--", "-" + victim.Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await Task.Delay(500);
            var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            server = ServerProcess.Start(dir, api, httpPort, null, "--prices", prices);
            await ServerProcess.WaitHealthyAsync(api);

            var after = await IntervalsAsync(dir);
            var survivorIntervals = after.Where(i => i.InstanceId == survivor.Id).ToList();
            var kept = Assert.Single(survivorIntervals);
            Assert.Equal(before[survivor.Id].Id, kept.Id); // the same interval, still open: no gap across the kill
            Assert.Null(kept.EndedAt);

            var victimIntervals = after.Where(i => i.InstanceId == victim.Id).OrderBy(i => i.Id).ToList();
            var closed = victimIntervals[0];
            Assert.Equal(before[victim.Id].Id, closed.Id);
            Assert.NotNull(closed.EndedAt);
            Assert.Equal(closed.LastSeenAt, closed.EndedAt); // closed at the last time the server saw it alive
            Assert.True(closed.EndedAt <= killedAt, $"closed at {closed.EndedAt}, after the server was killed at {killedAt}");

            // The restore restarts the dead instance (same id): a new interval that starts after the downtime.
            var reopened = await WaitForAsync(async () => (await IntervalsAsync(dir)).Where(i => i.InstanceId == victim.Id && i.EndedAt is null).FirstOrDefault());
            Assert.True(reopened.StartedAt >= restartedAt, "the downtime of the dead instance is not counted");

            // Stopping the app closes every interval; afterwards nothing more is counted.
            (await client.PostAsync("v1/apps/meter/stop", null)).EnsureSuccessStatusCode();
            var final = await WaitForAsync(async () =>
            {
                var all = (await IntervalsAsync(dir)).Where(i => i.SubjectName == "meter").ToList();
                return all.All(i => i.EndedAt is not null) ? all : null;
            });
            foreach (var byInstance in final.GroupBy(i => i.InstanceId))
            {
                var ordered = byInstance.OrderBy(i => i.StartedAt).ToList();
                for (var k = 1; k < ordered.Count; k++)
                {
                    Assert.True(ordered[k].StartedAt >= ordered[k - 1].EndedAt, $"intervals of {byInstance.Key} overlap");
                }
            }

            var expectedSeconds = final.Sum(i => (i.EndedAt!.Value - i.StartedAt) / 1000.0);
            var query = $"v1/usage?app=meter&from={Uri.EscapeDataString(begin.ToString("O", CultureInfo.InvariantCulture))}";
            var report = JsonDocument.Parse(await client.GetStringAsync(query)).RootElement;
            var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
            Assert.Equal("nano", row.GetProperty("flavor").GetString());
            Assert.Equal(expectedSeconds, row.GetProperty("instanceSeconds").GetDouble(), 3);
            Assert.Equal(decimal.Round((decimal)expectedSeconds / 3600m * 3.6m, 6), row.GetProperty("cost").GetDecimal());
            Assert.Equal("EUR", report.GetProperty("currency").GetString());

            await Task.Delay(1500);
            var again = JsonDocument.Parse(await client.GetStringAsync(query)).RootElement;
            Assert.Equal(expectedSeconds, again.GetProperty("rows")[0].GetProperty("instanceSeconds").GetDouble(), 3);

            var metrics = await client.GetStringAsync("metrics");
            Assert.Contains("nuage_usage_instance_seconds", metrics, StringComparison.Ordinal);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }
    }

    private sealed record Instance(string Id, string Status, int Pid, DateTimeOffset StartedAt);

    private static async Task<List<Instance>> InstancesAsync(HttpClient client) =>
        [.. JsonDocument.Parse(await client.GetStringAsync("v1/apps/meter/instances")).RootElement.EnumerateArray().Select(i => new Instance(
            i.GetProperty("id").GetString()!, i.GetProperty("status").GetString()!, i.GetProperty("pid").GetInt32(), i.GetProperty("startedAt").GetDateTimeOffset()))];

    /// <summary>Every interval in the server's state store (read beside the running server: SQLite in WAL mode).</summary>
    private static async Task<IReadOnlyList<UsageInterval>> IntervalsAsync(TempDirectory dir)
    {
        var store = SqliteStateStore.Open(dir.Combine("data", "nuage.db"));
        return await store.Usage.ListAsync(new UsageQuery { From = 0, To = long.MaxValue, Now = long.MaxValue - 1 }, default);
    }

    private static async Task<Dictionary<string, UsageInterval>> WaitForOpenIntervalsAsync(TempDirectory dir, IReadOnlyList<string> instanceIds) =>
        await WaitForAsync(async () =>
        {
            var open = (await IntervalsAsync(dir)).Where(i => i.EndedAt is null && instanceIds.Contains(i.InstanceId)).ToDictionary(i => i.InstanceId);
            return open.Count == instanceIds.Count ? open : null;
        });

    /// <summary>Polls (bounded: 600 × 100 ms) until <paramref name="probe"/> answers.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 600; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the expected usage intervals did not appear");
    }
}

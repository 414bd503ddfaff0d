using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Autoscale;

namespace Nuage.FunctionalTests.Autoscale;

/// <summary>
/// Shared pieces of the autoscaling tests: short autoscaler timings (so a test takes seconds, not minutes), a node app
/// with a CPU-heavy endpoint that finishes in-flight requests on SIGTERM, and bounded polling helpers.
/// </summary>
internal static class AutoscaleWorld
{
    /// <summary>Evaluate every second over 3 s windows; scale-in only after 6 s of lower load and 6 s after a change.</summary>
    public static readonly AutoscaleOptions Fast = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        MetricsWindow = TimeSpan.FromSeconds(3),
        ScaleUpWindow = TimeSpan.FromSeconds(2),
        ScaleDownWindow = TimeSpan.FromSeconds(6),
        ScaleUpCooldown = TimeSpan.FromSeconds(3),
        ScaleDownCooldown = TimeSpan.FromSeconds(6),
        FailureBackoff = TimeSpan.FromSeconds(20),
        ResizeCooldown = TimeSpan.FromSeconds(6),
    };

    /// <summary>
    /// /work burns about 15 ms of CPU (SHA-256 rounds); / is cheap; instances from <paramref name="failFrom"/> on exit at
    /// start. With <paramref name="armable"/>, GET /arm writes a file in the app's data folder (HOME, shared by its
    /// instances), and every instance started after that answers 500 to every request, its health check
    /// (CC_HEALTH_CHECK_PATH) included; the instances started before keep serving.
    /// </summary>
    public static string App(RunningServer server, string name, int? failFrom = null, bool armable = false)
    {
        var source = Path.Combine(server.Scratch, name + "-src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "package.json"), $"{{\"name\":\"{name}\",\"version\":\"1.0.0\",\"main\":\"index.js\"}}");
        var fail = failFrom is { } n
            ? $"if (Number(process.env.INSTANCE_NUMBER) >= {n}) {{ console.error(`instance ${{process.env.INSTANCE_NUMBER}} refuses to start`); process.exit(3); }}\n"
            : string.Empty;
        if (armable)
        {
            fail += """
                const armed = require("node:path").join(process.env.HOME, "refuse-new-instances");
                const refusing = require("node:fs").existsSync(armed);
                const handle = (req, res) => {
                  if (refusing) { res.statusCode = 500; res.end(`instance ${process.env.INSTANCE_ID} started after /arm: refusing`); return true; }
                  if (req.url === "/arm") { require("node:fs").writeFileSync(armed, "armed\n"); res.end("armed"); return true; }
                  return false;
                };

                """;
        }

        File.WriteAllText(Path.Combine(source, "index.js"), fail + """
            const http = require("node:http");
            const crypto = require("node:crypto");
            const server = http.createServer((req, res) => {
              if (typeof handle === "function" && handle(req, res)) return;
              if (req.url === "/work") {
                const end = Date.now() + 15;
                let h = Buffer.alloc(32);
                while (Date.now() < end) h = crypto.createHash("sha256").update(h).digest();
                res.end(h.toString("hex").slice(0, 8));
                return;
              }
              res.end("ok " + process.env.INSTANCE_NUMBER);
            });
            server.listen(Number(process.env.PORT), "127.0.0.1");
            process.on("SIGTERM", () => server.close(() => process.exit(0)));
            """);
        return source;
    }

    public static async Task<JsonElement> PolicyAsync(HttpClient http, string app) =>
        await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/autoscale");

    /// <summary>Running web instances of the app.</summary>
    public static async Task<int> WebInstancesAsync(HttpClient http, string app) =>
        (await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/instances")).EnumerateArray()
            .Count(i => i.GetProperty("kind").GetString() == "web" && i.GetProperty("status").GetString() == "running");

    /// <summary>Polls every 250 ms until <paramref name="done"/> holds or <paramref name="limit"/> passes; returns whether it held.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var end = DateTimeOffset.UtcNow + limit;
        while (DateTimeOffset.UtcNow < end)
        {
            if (await done())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return await done();
    }

    public static IEnumerable<JsonElement> Decisions(JsonElement policy, string action) =>
        policy.GetProperty("decisions").EnumerateArray().Where(d => d.GetProperty("action").GetString() == action);
}

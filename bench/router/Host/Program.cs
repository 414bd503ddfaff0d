// Bench host: a NuageRouter with one route ("bench.localhost") to the backend(s) given on the command line.
//   Host <router-port> <backend-port>                      serve until killed
//   Host <router-port> <backend-port-a> <backend-port-b> <switches>
//                                                          also switch the route between A and B <switches> times
//                                                          (health check, publish, drain) and print each drain report
using System.Globalization;
using Nuage.Core.Logging;
using Nuage.Core.Routing;
using Nuage.Router;

var port = args[0];
var ports = args.Skip(1).Take(args.Length > 2 ? 2 : 1).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
var switches = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;

// NUAGE_BENCH_INLINE=1 turns RouterOptions.InlineScheduling on, to measure what it buys.
var inline = Environment.GetEnvironmentVariable("NUAGE_BENCH_INLINE") == "1";
await using var router = new NuageRouter(new RouterOptions { HttpEndpoints = [$"127.0.0.1:{port}"], InlineScheduling = inline }, new DiscardSink());
await router.StartAsync(CancellationToken.None);
var sets = ports.Select((p, i) => new InstanceEndpoint($"instance-{i}", i, $"127.0.0.1:{p}")).ToArray();
router.Publish(Route(sets[0]));
Console.WriteLine($"ready {router.HttpAddresses[0]}");
if (Environment.GetEnvironmentVariable("NUAGE_BENCH_FLOW") == "oidc")
{
    Console.WriteLine($"cookie {BenchSession.Cookie()}");
}

if (switches > 0)
{
    await Task.Delay(TimeSpan.FromSeconds(1));
    for (var i = 1; i <= switches; i++)
    {
        var next = sets[i % 2];
        var previous = sets[(i + 1) % 2];
        var health = await router.Health.WaitHealthyAsync([next], [], TimeSpan.FromSeconds(30), CancellationToken.None);
        router.Publish(Route(next));
        var drain = await router.DrainAsync([previous.InstanceId], TimeSpan.FromSeconds(30), CancellationToken.None);
        Console.WriteLine($"switch {i}: healthy={health.Healthy} drained={drain.Completed} in {drain.Elapsed.TotalMilliseconds:0} ms");
        await Task.Delay(TimeSpan.FromMilliseconds(400));
    }

    Console.WriteLine("switches done");
}

await Task.Delay(Timeout.Infinite);

// NUAGE_BENCH_FLOW=compression|basic|oidc gives the route that request flow (bench/router/flow.sh); basic: user bench,
// password bench-password; oidc: a signed-in session cookie is printed ("cookie NAME=VALUE") for the load generator.
static AppRoute Route(InstanceEndpoint instance) => new("bench", "bench", RouteState.Serving, "dep", [instance])
{
    Flow = Environment.GetEnvironmentVariable("NUAGE_BENCH_FLOW") switch
    {
        "compression" => new Nuage.Router.Flow.FlowConfig { Compression = true },
        "basic" => new Nuage.Router.Flow.FlowConfig
        {
            BasicAuth = new Nuage.Router.Flow.BasicAuthConfig { Users = [new("bench", Nuage.Router.Flow.BasicAuthHashes.Hash("bench-password"))] },
        },
        "oidc" => new Nuage.Router.Flow.FlowConfig
        {
            // The issuer is never contacted: the session cookie is valid for a day and has no refresh token.
            Oidc = new Nuage.Router.Flow.OidcAuthConfig { Issuer = "http://127.0.0.1:9/realms/bench", ClientId = BenchSession.ClientId, SessionKey = Convert.ToBase64String(BenchSession.Key) },
        },
        _ => null,
    },
};



/// <summary>The logs team's sink is not part of this benchmark; records are formatted and dropped.</summary>
internal sealed class DiscardSink : ILogSink
{
    public void Write(LogRecord record)
    {
    }
}

/// <summary>
/// A signed-in OIDC session as the router's session cookie holds it (src/Nuage.Router/Flow/OidcCookies.cs: web-JSON sealed
/// with AES-256-GCM, nonce | tag | ciphertext, base64url, associated data <c>nuage-oauth2/session/CLIENT</c>). Minted here
/// because the format is internal to the router; flow.sh checks the router accepts it (200, not a redirect) before measuring.
/// </summary>
internal static class BenchSession
{
    public const string ClientId = "bench";

    public static byte[] Key { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public static string Cookie()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var plain = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new { user = "bench-user", email = "bench@example.com", groups = Array.Empty<string>(), accessToken = (string?)null, refreshToken = (string?)null, accessExpires = expires, sessionExpires = expires });
        var sealedValue = new byte[12 + 16 + plain.Length];
        System.Security.Cryptography.RandomNumberGenerator.Fill(sealedValue.AsSpan(0, 12));
        using var aes = new System.Security.Cryptography.AesGcm(Key, 16);
        aes.Encrypt(sealedValue.AsSpan(0, 12), plain, sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), System.Text.Encoding.UTF8.GetBytes($"nuage-oauth2/session/{ClientId}"));
        return $"_nuage_oauth2_0={System.Buffers.Text.Base64Url.EncodeToString(sealedValue)}";
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Core.State;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// <c>nuage auth provider add|list|rm</c> against the real npm oidc-provider (Keycloak-shaped realm): providers added at
/// run time are discovered before they are stored, a confidential client's secret is read off the command line, sealed,
/// never listed, and sent as the issuer's discovery allows; removing a provider ends the sessions signed in there.
/// </summary>
public sealed class OidcProviderCommandTests
{
    private const string WebSecret = "nuage-web-secret";
    private const string AcmeAdmins = "/nuage/acme-admins=acme:admin";

    [Fact]
    public async Task Add_ConfidentialClientWithSecretFromStdin_SignsInWithClientSecretBasic_AndTheSecretIsNeitherListedNorStoredInClear()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync();

        var added = await server.Cli().RunWithInputAsync(WebSecret + "\n",
            "auth", "provider", "add", provider.Issuer, "--client-id", "nuage-web", "--client-secret-stdin", "--group-role", AcmeAdmins);
        var login = await OidcCliLogin.RunAsync(server, "alice");
        var list = await server.Cli().RunAsync("auth", "provider", "list", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("confidential (client_secret_basic)", added.Output, StringComparison.Ordinal);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("as alice@nuage.test in acme (admin)", login.Output, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
        var listed = Assert.Single(JsonDocument.Parse(list.Output).RootElement.EnumerateArray());
        Assert.Equal(("store", true, "client_secret_basic", "ok"), (listed.GetProperty("source").GetString(), listed.GetProperty("confidential").GetBoolean(),
            listed.GetProperty("tokenAuthMethod").GetString(), listed.GetProperty("status").GetString()));
        Assert.DoesNotContain(WebSecret, list.Output, StringComparison.Ordinal);
        var stored = Assert.Single(await server.Server.Services.GetRequiredService<IStateStore>().Oidc.ListProvidersAsync(default));
        Assert.NotNull(stored.SealedClientSecret); // kept sealed: the clear secret is nowhere in the row
        Assert.DoesNotContain(WebSecret, System.Text.Encoding.Latin1.GetString(stored.SealedClientSecret), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WhenDiscoveryListsOnlyClientSecretPost_SendsTheSecretInTheForm_AndAWrongSecretIsRefusedByTheIssuer()
    {
        await using var provider = await OidcProvider.StartAsync(clientAuthMethods: "client_secret_post,none");
        await using var server = await StartServerAsync();
        using var op = server.Http();

        using var wrong = await op.PostAsJsonAsync("v1/auth/providers", new { issuer = provider.Issuer, clientId = "nuage-web", clientSecret = "not-the-secret", groupRoles = new[] { AcmeAdmins } });
        using var refused = await op.PostAsJsonAsync("v1/auth/oidc/device", new { });
        var refusal = await refused.Content.ReadAsStringAsync();
        using var right = await op.PostAsJsonAsync("v1/auth/providers", new { issuer = provider.Issuer, clientId = "nuage-web", clientSecret = WebSecret, groupRoles = new[] { AcmeAdmins } });
        var login = await OidcCliLogin.RunAsync(server, "alice");

        Assert.Equal(HttpStatusCode.Created, wrong.StatusCode);
        Assert.Equal("client_secret_post", JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement.GetProperty("tokenAuthMethod").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("invalid_client", refusal, StringComparison.Ordinal); // the secret is sent, and checked by the issuer
        Assert.Equal(HttpStatusCode.Created, right.StatusCode); // adding again replaces the settings
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Single(JsonDocument.Parse(await op.GetStringAsync("v1/auth/providers")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Add_UnreachableIssuerOrInvalidDiscovery_IsRefusedWithTheUrlAndTheReason_Exit2_AndNothingIsStored()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync();
        var closed = $"http://127.0.0.1:{OidcDiscoveryTests.ClosedLoopbackPort()}/realms/nuage";
        var otherRealm = provider.Issuer.Replace("/realms/nuage", "/realms/other", StringComparison.Ordinal);
        using var op = server.Http();

        var unreachable = await server.Cli().RunAsync("auth", "provider", "add", closed, "--client-id", "nuage-cli");
        var notFound = await server.Cli().RunAsync("auth", "provider", "add", otherRealm, "--client-id", "nuage-cli");
        using var rest = await op.PostAsJsonAsync("v1/auth/providers", new { issuer = closed, clientId = "nuage-cli" });
        var problem = JsonDocument.Parse(await rest.Content.ReadAsStringAsync()).RootElement;

        Assert.True(unreachable.ExitCode == 2, unreachable.ToString());
        Assert.Contains(closed + OidcDiscovery.WellKnownPath, unreachable.Error, StringComparison.Ordinal);
        Assert.Contains("unreachable", unreachable.Error, StringComparison.Ordinal);
        Assert.True(notFound.ExitCode == 2, notFound.ToString());
        Assert.Contains("HTTP 404", notFound.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal("invalid_oidc_provider", problem.GetProperty("code").GetString());
        Assert.Equal("issuer", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Empty(JsonDocument.Parse(await op.GetStringAsync("v1/auth/providers")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Add_WithSeveralBadFields_NamesEachOne_AndTheSecretNeverTravelsOnTheCommandLine()
    {
        await using var server = await StartServerAsync();
        using var op = server.Http();

        using var rest = await op.PostAsJsonAsync("v1/auth/providers", new { issuer = "ftp://sso/realms/x?a=b", clientId = " ", scopes = "email profile", groupRoles = new[] { "admins=acme" } });
        var problem = JsonDocument.Parse(await rest.Content.ReadAsStringAsync()).RootElement;
        var twoSources = await server.Cli().RunWithInputAsync("s\n", "auth", "provider", "add", "https://sso/realms/x", "--client-id", "c", "--client-secret-stdin", "--client-secret-env", "X");
        var emptyStdin = await server.Cli().RunAsync("auth", "provider", "add", "https://sso/realms/x", "--client-id", "c", "--client-secret-stdin");
        var missingEnv = await server.Cli().RunAsync("auth", "provider", "add", "https://sso/realms/x", "--client-id", "c", "--client-secret-env", "NUAGE_TEST_UNSET_SECRET");

        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal(["issuer", "clientId", "scopes", "groupRoles"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.True(twoSources.ExitCode == 2 && twoSources.Error.Contains("at most one", StringComparison.Ordinal), twoSources.ToString());
        Assert.True(emptyStdin.ExitCode == 2 && emptyStdin.Error.Contains("--client-secret-stdin", StringComparison.Ordinal), emptyStdin.ToString());
        Assert.True(missingEnv.ExitCode == 2 && missingEnv.Error.Contains("NUAGE_TEST_UNSET_SECRET", StringComparison.Ordinal), missingEnv.ToString());
        var help = await server.Cli().RunAsync("auth", "provider", "add", "--help");
        Assert.DoesNotContain("--client-secret ", help.Output, StringComparison.Ordinal); // no option takes the secret itself
    }

    [Fact]
    public async Task List_ShowsFlagAndStoredProvidersWithTheirSource_AndRemovingAFlagProviderIsRefused()
    {
        await using var flagged = await OidcProvider.StartAsync();
        await using var added = await OidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([flagged.Issuer], ["nuage-cli"], [AcmeAdmins]) });
        (await IdentityWorld.PostAsync(server.Http(), "v1/orgs", new { name = "acme" })).Dispose();

        var add = await server.Cli().RunAsync("auth", "provider", "add", added.Issuer, "--client-id", "nuage-cli", "--name", "Second SSO");
        var addFlagged = await server.Cli().RunAsync("auth", "provider", "add", flagged.Issuer, "--client-id", "nuage-cli");
        var list = await server.Cli().RunAsync("auth", "provider", "list", "--json");
        var rmFlagged = await server.Cli().RunAsync("auth", "provider", "rm", flagged.Issuer);
        var rmUnknown = await server.Cli().RunAsync("auth", "provider", "rm", "https://sso.example.com/realms/none");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(addFlagged.ExitCode == 2 && addFlagged.Error.Contains("--oidc-issuer", StringComparison.Ordinal), addFlagged.ToString());
        var rows = JsonDocument.Parse(list.Output).RootElement.EnumerateArray()
            .Select(p => (p.GetProperty("issuer").GetString(), p.GetProperty("source").GetString(), p.GetProperty("name").GetString(), p.GetProperty("confidential").GetBoolean())).ToList();
        Assert.Equal([(flagged.Issuer, "flags", "nuage", false), (added.Issuer, "store", "Second SSO", false)], rows);
        Assert.True(rmFlagged.ExitCode == 2 && rmFlagged.Error.Contains("--oidc-issuer", StringComparison.Ordinal), rmFlagged.ToString());
        Assert.True(rmUnknown.ExitCode == 3, rmUnknown.ToString());
        using var console = await server.Http().GetAsync("console/oidc/providers");
        Assert.Contains("Second SSO", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the console offers it too
    }

    [Fact]
    public async Task Remove_EndsTheSessionsSignedInThere_RefusesNewSignIns_AndAddAndRemoveAreEachOneAuditEntry()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync();
        var add = await server.Cli().RunAsync("auth", "provider", "add", provider.Issuer, "--client-id", "nuage-cli", "--group-role", AcmeAdmins);
        var login = await OidcCliLogin.RunAsync(server, "alice");
        using var session = server.Http(login.StoredToken!);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("v1/whoami")).StatusCode);

        var rm = await server.Cli().RunAsync("auth", "provider", "rm", provider.Issuer);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Contains("1 session(s) signed in there ended", rm.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("v1/whoami")).StatusCode);
        using var op = server.Http();
        using var start = await op.PostAsJsonAsync("v1/auth/oidc/device", new { });
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        var audit = JsonDocument.Parse(await op.GetStringAsync("v1/audit?limit=100")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString()!.Contains("/v1/auth/providers", StringComparison.Ordinal))
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString(), e.GetProperty("outcome").GetString())).ToList();
        Assert.Equal([("POST /v1/auth/providers/", provider.Issuer, "success"), ("DELETE /v1/auth/providers/", provider.Issuer, "success")], audit.OrderBy(a => a.Item1!.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StoredProvider_IsDiscoveredAgainAtRestart_AndOneThatIsDownThenDoesNotStopTheServer_AndIsRetried()
    {
        await using var provider = await OidcProvider.StartAsync();
        var port = provider.Port;
        await using var server = await StartServerAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("auth", "provider", "add", provider.Issuer, "--client-id", "nuage-cli", "--group-role", AcmeAdmins)).ExitCode);

        await provider.DisposeAsync(); // the issuer goes down, then the server restarts
        await server.RestartAsync();
        var down = JsonDocument.Parse(await server.Http().GetStringAsync("v1/auth/providers")).RootElement[0].GetProperty("status").GetString();
        await using var back = await OidcProvider.StartAsync(port);
        var retried = await server.Server.Services.GetRequiredService<OidcProviders>().RetryUnavailableAsync(default);
        var login = await OidcCliLogin.RunAsync(server, "alice");

        Assert.StartsWith("unavailable: ", down, StringComparison.Ordinal);
        Assert.Contains("unreachable", down, StringComparison.Ordinal);
        Assert.Equal(1, retried);
        Assert.True(login.ExitCode == 0, login.ToString());
    }

    private static async Task<RunningServer> StartServerAsync()
    {
        var server = await RunningServer.StartAsync();
        using var op = server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "acme" })).Dispose();
        return server;
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nuage.Core.State;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// Sign-ins that fail end to end (the real CLI, server and npm oidc-provider): the issuer down at sign-in time, and an
/// ID token the server must refuse as expired, with the specific reason in the audit trail.
/// </summary>
public sealed class OidcSignInFailureTests
{
    [Fact]
    public async Task DeviceLogin_WhileTheIssuerIsDown_FailsNamingTheUrl_AndExistingSessionsAndTokensKeepWorking()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        var first = await OidcCliLogin.RunAsync(server, "alice");
        Assert.True(first.ExitCode == 0, first.ToString());

        await provider.DisposeAsync(); // the issuer goes down
        var second = await OidcCliLogin.RunAsync(server, "alice");

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains(provider.Issuer, second.Error, StringComparison.Ordinal);
        Assert.Contains("unreachable", second.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Error, StringComparison.Ordinal); // a message, not a stack trace
        using var session = server.Http(first.StoredToken!);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("v1/whoami")).StatusCode);
        using var admin = server.Http();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("v1/apps")).StatusCode);
        var entry = (await server.Server.Services.GetRequiredService<IStateStore>().Audit.LastAsync(default))!;
        Assert.Equal(("POST /v1/auth/oidc/device", "failed"), (entry.Action, entry.Outcome));
    }

    [Fact]
    public async Task DeviceLogin_WhenTheIdTokenHasExpiredByTheServersClock_IsRefusedOnExpiry_AndTheAuditEntrySaysSo()
    {
        await using var provider = await OidcProvider.StartAsync();
        // The server's clock runs two hours ahead of the provider's (whose ID tokens live one hour), so the genuine token
        // the provider issues is already expired when the server validates it. It also advances a little at each reading,
        // so the server's once-per-interval polling of the token endpoint goes on.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2)) { AutoAdvanceAmount = TimeSpan.FromSeconds(2) };
        await using var server = await RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"], ["/nuage/acme-admins=acme:admin"]) }, clock);
        (await IdentityWorld.PostAsync(server.Http(), "v1/orgs", new { name = "acme" })).Dispose();

        var login = await OidcCliLogin.RunAsync(server, "alice");

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Contains("expired", login.Error, StringComparison.Ordinal);
        var entry = (await server.Server.Services.GetRequiredService<IStateStore>().Audit.LastAsync(default))!;
        Assert.Equal(("POST /v1/auth/oidc/device/poll", "refused", "anonymous"), (entry.Action, entry.Outcome, entry.Actor));
        Assert.Contains("oidc_token_invalid", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("ID token expired at", entry.Detail, StringComparison.Ordinal);
        Assert.Null(login.StoredToken);
    }
}

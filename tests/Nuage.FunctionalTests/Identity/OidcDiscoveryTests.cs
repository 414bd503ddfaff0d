using System.Net;
using System.Net.Sockets;
using Nuage.Core.Errors;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Identity;

/// <summary>Issuer configuration at start, against the real npm oidc-provider with a Keycloak-shaped realm URL.</summary>
public sealed class OidcDiscoveryTests
{
    [Fact]
    public async Task KeycloakShapedIssuer_IsDiscoveredAtStart_WithItsDeviceEndpointAndKeys()
    {
        await using var provider = await OidcProvider.StartAsync();

        await using var server = await RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"]) });

        var issuer = Assert.Single((IReadOnlyList<OidcIssuer>)server.Server.Services.GetService(typeof(IReadOnlyList<OidcIssuer>))!);
        Assert.Equal(provider.Issuer, issuer.Issuer);
        Assert.EndsWith("/realms/nuage", issuer.Issuer, StringComparison.Ordinal);
        Assert.Equal(provider.Issuer + "/device/auth", issuer.DeviceAuthorizationEndpoint?.ToString());
        Assert.True(issuer.SigningKeys > 0);
    }

    [Fact]
    public async Task UnreachableIssuer_RefusesTheStart_NamingTheUrlAndTheReason()
    {
        var closed = ClosedLoopbackPort();
        var url = $"http://127.0.0.1:{closed}/realms/nuage";

        var error = await Assert.ThrowsAsync<NuageException>(() => RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([url], ["nuage-cli"]) }));

        Assert.Equal(ErrorCodes.InvalidOption, error.Code);
        var field = Assert.Single(error.Errors);
        Assert.Equal(OidcOptions.IssuerFlag, field.Field);
        Assert.Contains(url + OidcDiscovery.WellKnownPath, field.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerUrlThatIsNotTheRealm_RefusesTheStart_NamingWhatDiscoveryAnswered()
    {
        await using var provider = await OidcProvider.StartAsync();
        var wrong = provider.Issuer.Replace("/realms/nuage", "/realms/other", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<NuageException>(() => RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([wrong], ["nuage-cli"]) }));

        Assert.Contains("HTTP 404", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (an issuer that is down).</summary>
    internal static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

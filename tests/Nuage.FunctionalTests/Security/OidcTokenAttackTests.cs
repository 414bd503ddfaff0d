using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;
using Nuage.Core.Oidc;

namespace Nuage.FunctionalTests.Security;

/// <summary>
/// Forged and misdirected ID tokens against the server's validator (the one the device sign-in uses), with genuine
/// tokens from the real oidc-provider as the material: the issuer's real JWKS is fetched over HTTP. Each attack must be
/// refused with a reason naming the check.
/// </summary>
public sealed class OidcTokenAttackTests : IAsyncLifetime
{
    private const string Nonce = "n-0123456789";
    private OidcProvider _provider = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _provider = await OidcProvider.StartAsync();
        _server = await RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([_provider.Issuer], ["nuage-cli"]) });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task GenuineToken_IsAccepted_SoTheRefusalsBelowAreAboutTheirAttack()
    {
        var token = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);

        var valid = await Entry().Validator.ValidateAsync(token, Nonce, requireNonce: false, default);

        Assert.Equal("alice", valid.Subject);
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_WithTheIssuersKid_IsRefusedOnSignature()
    {
        var genuine = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);
        var (header, payload, _) = Split(genuine);
        using var attacker = RSA.Create(2048);
        var forged = $"{header}.{payload}.{B64(attacker.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";

        var error = await RefusedAsync(forged);

        Assert.Contains("signature does not verify", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineTokenWithAnEditedPayload_IsRefusedOnSignature()
    {
        var genuine = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);
        var (header, payload, signature) = Split(genuine);
        var edited = Encoding.UTF8.GetString(Base64Url(payload)).Replace("alice@nuage.test", "admin@nuage.test", StringComparison.Ordinal);

        var error = await RefusedAsync($"{header}.{B64(Encoding.UTF8.GetBytes(edited))}.{signature}");

        Assert.Contains("signature does not verify", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsignedToken_AlgNone_IsRefused()
    {
        var genuine = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);
        var (_, payload, _) = Split(genuine);

        var error = await RefusedAsync($"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray())}.{payload}.");

        Assert.Contains("algorithm 'none' is not accepted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HmacTokenKeyedWithThePublicKey_AlgorithmConfusion_IsRefused()
    {
        var genuine = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);
        var (header, payload, _) = Split(genuine);
        using var json = JsonDocument.Parse(Base64Url(header));
        var kid = json.RootElement.GetProperty("kid").GetString();
        var hsHeader = B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"{kid}\"}}"));
        var jwks = await new HttpClient().GetStringAsync(_provider.Issuer + "/jwks");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwks), Encoding.ASCII.GetBytes($"{hsHeader}.{payload}"));

        var error = await RefusedAsync($"{hsHeader}.{payload}.{B64(mac)}");

        Assert.Contains("algorithm 'HS256' is not accepted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineTokenIssuedForAnotherClient_IsRefusedOnAudience()
    {
        var other = await OidcUser.IdTokenAsync(_provider, "other-app", "alice", Nonce);

        var error = await RefusedAsync(other);

        Assert.Contains("ID token audience 'other-app' does not include client id 'nuage-cli'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineTokenWithoutTheNonce_WhereTheFlowRequiresIt_IsRefusedOnNonce()
    {
        // oidc-provider does not echo a device-flow nonce, so the token carries none: a flow that requires it refuses.
        var token = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);

        var error = await RefusedAsync(token, nonce: "the-nonce-of-another-sign-in", requireNonce: true);

        Assert.Contains("carries no nonce", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineTokenReplayedIntoAnotherSignIn_CarryingItsOwnNonce_IsRefusedOnNonce()
    {
        var token = await OidcUser.CodeFlowIdTokenAsync(_provider, "alice", "nonce-of-the-first-sign-in");
        var accepted = await Entry().Validator.ValidateAsync(token, "nonce-of-the-first-sign-in", requireNonce: true, default);

        var error = await RefusedAsync(token, nonce: "nonce-of-the-second-sign-in", requireNonce: true);

        Assert.Equal("alice", accepted.Subject); // genuine, and accepted by the sign-in it was issued for
        Assert.Contains("nonce does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineTokenPresentedAfterItExpired_IsRefusedOnExpiry()
    {
        var token = await OidcUser.IdTokenAsync(_provider, "nuage-cli", "alice", Nonce);
        var entry = Entry();
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1));
        var validator = new IdTokenValidator(entry.Issuer.Issuer, entry.Issuer.ClientId, entry.Issuer.JwksUri, entry.Keys, later);

        var error = await Assert.ThrowsAsync<OidcTokenException>(() => validator.ValidateAsync(token, Nonce, requireNonce: false, default));

        Assert.Contains("ID token expired at", error.Message, StringComparison.Ordinal);
    }

    private OidcIssuers.Entry Entry() => ((OidcIssuers)_server.Server.Services.GetService(typeof(OidcIssuers))!).Find(null);

    private async Task<string> RefusedAsync(string token, string nonce = Nonce, bool requireNonce = false) =>
        (await Assert.ThrowsAsync<OidcTokenException>(() => Entry().Validator.ValidateAsync(token, nonce, requireNonce, default))).Message;

    private static (string Header, string Payload, string Signature) Split(string jwt)
    {
        var parts = jwt.Split('.');
        return (parts[0], parts[1], parts[2]);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}

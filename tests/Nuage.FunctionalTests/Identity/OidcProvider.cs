using System.Diagnostics;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// The real npm <c>oidc-provider</c> (tests/oidc/provider.mjs), on 127.0.0.1:0 with a Keycloak-shaped issuer
/// (<c>/realms/nuage</c>). Needs tools/node_modules (scripts/install-deps runs npm ci there).
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    private readonly Process _process;
    private bool _stopped;

    private OidcProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public string Issuer { get; }

    /// <summary>The loopback port (restart on it with <see cref="StartAsync(int, int?)"/> to keep the issuer and rotate the key).</summary>
    public int Port => new Uri(Issuer).Port;

    /// <param name="port">0 for any free port; a former provider's port to restart it there with a new signing key.</param>
    /// <param name="deviceCodeSeconds">The device code lifetime (default 600 s).</param>
    /// <param name="idTokenAlgorithm">How ID tokens for nuage-cli are signed (RS256 by default; ES256).</param>
    /// <param name="authCodeSeconds">The authorization code lifetime (default 60 s).</param>
    /// <param name="webRedirectUris">Callback URLs of the confidential web client <c>nuage-proxy</c> (secret <c>nuage-proxy-secret</c>); none: no such client.</param>
    /// <param name="accessTokenSeconds">The access token lifetime (default 3600 s).</param>
    /// <param name="clientAuthMethods">The token endpoint authentication methods the provider supports (and lists in discovery); null: its defaults.</param>
    /// <param name="deviceFlow">False: the provider offers no device authorization grant.</param>
    public static async Task<OidcProvider> StartAsync(int port = 0, int? deviceCodeSeconds = null, string? idTokenAlgorithm = null, int? authCodeSeconds = null,
        IReadOnlyList<string>? webRedirectUris = null, int? accessTokenSeconds = null, string? clientAuthMethods = null, bool deviceFlow = true)
    {
        var root = FindRepositoryRoot();
        var tools = Path.Combine(root, "tools");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "oidc-provider")), $"{tools}/node_modules/oidc-provider is missing: run scripts/install-deps (npm ci in tools/).");
        var start = new ProcessStartInfo("node", [Path.Combine(root, "tests", "oidc", "provider.mjs")])
        {
            WorkingDirectory = tools,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["OIDC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (idTokenAlgorithm is not null)
        {
            start.Environment["OIDC_ID_TOKEN_ALG"] = idTokenAlgorithm;
        }

        if (!deviceFlow)
        {
            start.Environment["OIDC_DEVICE_FLOW"] = "off";
        }

        if (clientAuthMethods is not null)
        {
            start.Environment["OIDC_CLIENT_AUTH_METHODS"] = clientAuthMethods;
        }

        if (authCodeSeconds is { } codeTtl)
        {
            start.Environment["OIDC_AUTH_CODE_TTL"] = codeTtl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (webRedirectUris is { Count: > 0 })
        {
            start.Environment["OIDC_WEB_REDIRECT_URIS"] = string.Join(',', webRedirectUris);
        }

        if (accessTokenSeconds is { } accessTtl)
        {
            start.Environment["OIDC_ACCESS_TOKEN_TTL"] = accessTtl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (deviceCodeSeconds is { } ttl)
        {
            start.Environment["OIDC_DEVICE_CODE_TTL"] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var issuer = await process.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.True(issuer is not null && issuer.StartsWith("http://127.0.0.1:", StringComparison.Ordinal), $"oidc-provider did not start: {issuer}");
        return new OidcProvider(process, issuer!);
    }

    /// <summary>Replaces an account's groups at the provider (an administrator removing a user from a group there).</summary>
    public async Task SetGroupsAsync(string login, params string[] groups)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsync($"http://127.0.0.1:{Port}/test/accounts/{login}/groups",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(groups)));
        Assert.True(response.IsSuccessStatusCode, $"setting {login}'s groups: {(int)response.StatusCode}");
    }

    /// <summary>Revokes a refresh token at the provider (RFC 7009), as a user signing out there would.</summary>
    public async Task RevokeAsync(string refreshToken, string clientId = "nuage-cli")
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Issuer + "/token/revocation", new FormUrlEncodedContent(
            [new("token", refreshToken), new("token_type_hint", "refresh_token"), new("client_id", clientId)]));
        Assert.True(response.IsSuccessStatusCode, $"revoking a refresh token: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return; // stopped early by the test (the issuer going down)
        }

        _stopped = true;
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Nuage.slnx not found above " + AppContext.BaseDirectory);
    }
}

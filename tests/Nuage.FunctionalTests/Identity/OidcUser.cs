using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// Plays the person at the browser: opens the provider's device verification page and submits its forms the way a
/// browser would (hidden fields kept, cookies kept, redirects followed): the code confirmation, oidc-provider's
/// development login page (any password) and its consent page. With <c>approve: false</c> it presses "abort".
/// </summary>
internal static partial class OidcUser
{
    public static async Task<string> CompleteDeviceSignInAsync(string verificationUriComplete, string login, bool approve = true)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var page = new Uri(verificationUriComplete);
        var html = await browser.GetStringAsync(page);
        for (var step = 0; step < 10; step++)
        {
            if (html.Contains("Sign-in Success", StringComparison.Ordinal) || FormPattern().Match(html) is not { Success: true } form)
            {
                return html;
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
            {
                var name = WebUtility.HtmlDecode(input.Groups["name"].Value);
                var value = WebUtility.HtmlDecode(ValuePattern().Match(input.Value) is { Success: true } v ? v.Groups[1].Value : string.Empty);
                (name, value) = name switch
                {
                    "login" => (name, login),
                    "password" => (name, "any password"),
                    "confirm" when !approve => ("abort", "yes"),
                    _ => (name, value),
                };
                fields.Add(new(name, value));
            }

            var action = new Uri(page, WebUtility.HtmlDecode(form.Groups["action"].Value));
            using var response = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
            page = response.RequestMessage!.RequestUri!;
            html = await response.Content.ReadAsStringAsync();
            if (fields.Any(f => f.Key == "abort"))
            {
                return html; // the provider shows its code page again; the device code is now refused
            }
        }

        throw new InvalidOperationException("The device sign-in pages did not finish in 10 steps; last page:\n" + html);
    }

    /// <summary>
    /// Plays the browser through an authorization-code sign-in: opens <paramref name="authorizationUrl"/>, follows the
    /// provider's redirects, fills its login (and consent) forms, and stops at the first redirect leaving the provider
    /// (to the relying party's callback), returning that URL with its <c>code</c> and <c>state</c> (or <c>error</c>)
    /// unvisited, so the test decides who delivers it.
    /// </summary>
    public static async Task<Uri> AuthorizeAsync(string authorizationUrl, string login, bool approve = true)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var issuerAuthority = new Uri(authorizationUrl).GetLeftPart(UriPartial.Authority);
        HttpResponseMessage response = await browser.GetAsync(authorizationUrl);
        for (var step = 0; step < 20; step++)
        {
            var page = response.RequestMessage!.RequestUri!;
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var location = new Uri(page, response.Headers.Location!);
                response.Dispose();
                if (location.GetLeftPart(UriPartial.Authority) != issuerAuthority)
                {
                    return location;
                }

                response = await browser.GetAsync(location);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            response.Dispose();
            if (!approve)
            {
                response = await browser.GetAsync(new Uri(page.AbsoluteUri.TrimEnd('/') + "/abort")); // the provider's "[ Cancel ]" link
                continue;
            }

            if (FormPattern().Match(html) is not { Success: true } form)
            {
                throw new InvalidOperationException("The provider showed a page without a form and without redirecting:\n" + html);
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
            {
                var name = WebUtility.HtmlDecode(input.Groups["name"].Value);
                var value = WebUtility.HtmlDecode(ValuePattern().Match(input.Value) is { Success: true } v ? v.Groups[1].Value : string.Empty);
                fields.Add(name switch
                {
                    "login" => new(name, login),
                    "password" => new(name, "any password"),
                    _ => new(name, value),
                });
            }

            var action = new Uri(page, WebUtility.HtmlDecode(form.Groups["action"].Value));
            response = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        }

        response.Dispose();
        throw new InvalidOperationException("The provider's sign-in pages did not redirect back in 20 steps.");
    }

    /// <summary>A genuine ID token from the provider for <paramref name="clientId"/>: the device flow run directly, as that client.</summary>
    public static async Task<string> IdTokenAsync(OidcProvider provider, string clientId, string login, string nonce) =>
        (await TokensAsync(provider, clientId, login, nonce)).IdToken;

    /// <summary>A genuine ID token and refresh token from the provider for <paramref name="clientId"/> (a public client), by the device flow run directly.</summary>
    public static async Task<(string IdToken, string RefreshToken)> TokensAsync(OidcProvider provider, string clientId, string login, string nonce)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var started = await http.PostAsync(provider.Issuer + "/device/auth", new FormUrlEncodedContent(
            [new("client_id", clientId), new("scope", "openid email profile groups"), new("nonce", nonce)]));
        using var device = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        await CompleteDeviceSignInAsync(device.RootElement.GetProperty("verification_uri_complete").GetString()!, login);
        using var token = await http.PostAsync(provider.Issuer + "/token", new FormUrlEncodedContent(
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            new("device_code", device.RootElement.GetProperty("device_code").GetString()!),
            new("client_id", clientId),
        ]));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("id_token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>
    /// A genuine ID token carrying <paramref name="nonce"/>, from the authorization-code flow with PKCE run directly
    /// as the public client nuage-cli (oidc-provider echoes the nonce there, unlike in the device flow).
    /// </summary>
    public static async Task<string> CodeFlowIdTokenAsync(OidcProvider provider, string login, string nonce)
    {
        var verifier = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        const string redirect = "http://127.0.0.1:1/callback"; // never visited: AuthorizeAsync stops at the redirect
        var url = $"{provider.Issuer}/auth?response_type=code&client_id=nuage-cli&redirect_uri={Uri.EscapeDataString(redirect)}&scope=openid%20email"
            + $"&state=s&nonce={Uri.EscapeDataString(nonce)}&code_challenge={challenge}&code_challenge_method=S256";
        var back = await AuthorizeAsync(url, login);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query).TryGetValue("code", out var c) ? c.ToString() : throw new InvalidOperationException("no code in " + back);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var token = await http.PostAsync(provider.Issuer + "/token", new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirect),
            new("code_verifier", verifier), new("client_id", "nuage-cli"),
        ]));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id_token").GetString()!;
    }

    [GeneratedRegex("<form[^>]*?action=\"(?<action>[^\"]+)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]+)\"[^>]*>", RegexOptions.Singleline)]
    private static partial Regex InputPattern();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();
}

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

    /// <summary>A genuine ID token from the provider for <paramref name="clientId"/>: the device flow run directly, as that client.</summary>
    public static async Task<string> IdTokenAsync(OidcProvider provider, string clientId, string login, string nonce)
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
        return json.RootElement.GetProperty("id_token").GetString()!;
    }

    [GeneratedRegex("<form[^>]*?action=\"(?<action>[^\"]+)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]+)\"[^>]*>", RegexOptions.Singleline)]
    private static partial Regex InputPattern();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();
}

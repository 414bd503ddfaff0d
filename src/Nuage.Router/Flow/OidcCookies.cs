using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Nuage.Router.Flow;

/// <summary>
/// The sign-in state and session cookies of an OIDC-protected app: JSON sealed with AES-256-GCM under the app's session key
/// (encrypted and authenticated; the associated data binds a value to its cookie kind and client id, so a state cookie
/// does not open as a session). A session too large for one cookie is split over <c>_nuage_oauth2_0</c>, <c>_1</c>, …
/// </summary>
internal sealed class OidcCookies(byte[] key, string clientId)
{
    public const string SessionName = "_nuage_oauth2";
    public const string StateName = "_nuage_oauth2_state";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int ChunkSize = 3800;
    private const int MaxChunks = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public OidcSession? ReadSession(HttpRequest request)
    {
        var text = new StringBuilder();
        for (var i = 0; i < MaxChunks && request.Cookies.TryGetValue(ChunkName(i), out var part); i++)
        {
            text.Append(part);
        }

        return text.Length == 0 ? null : Open<OidcSession>(text.ToString(), "session");
    }

    /// <summary>Writes the session (split when needed) and deletes chunks of a former, longer one; false when it cannot fit.</summary>
    public bool WriteSession(HttpContext context, OidcSession session, bool secure, TimeSpan maxAge)
    {
        var value = Seal(session, "session");
        var chunks = (value.Length + ChunkSize - 1) / ChunkSize;
        if (chunks > MaxChunks)
        {
            return false;
        }

        for (var i = 0; i < MaxChunks; i++)
        {
            if (i < chunks)
            {
                context.Response.Cookies.Append(ChunkName(i), value.Substring(i * ChunkSize, Math.Min(ChunkSize, value.Length - (i * ChunkSize))), Options(secure, maxAge));
            }
            else if (context.Request.Cookies.ContainsKey(ChunkName(i)))
            {
                context.Response.Cookies.Delete(ChunkName(i), Options(secure, null));
            }
        }

        return true;
    }

    public void DeleteSession(HttpContext context, bool secure)
    {
        for (var i = 0; i < MaxChunks; i++)
        {
            if (context.Request.Cookies.ContainsKey(ChunkName(i)))
            {
                context.Response.Cookies.Delete(ChunkName(i), Options(secure, null));
            }
        }
    }

    public OidcLoginState? ReadState(HttpRequest request) =>
        request.Cookies.TryGetValue(StateName, out var value) ? Open<OidcLoginState>(value, "state") : null;

    public void WriteState(HttpContext context, OidcLoginState state, bool secure, TimeSpan maxAge) =>
        context.Response.Cookies.Append(StateName, Seal(state, "state"), Options(secure, maxAge));

    public void DeleteState(HttpContext context, bool secure) => context.Response.Cookies.Delete(StateName, Options(secure, null));

    /// <summary>True for the router's own cookies, which are never forwarded to the app.</summary>
    public static bool IsOurs(string name) => name.StartsWith(SessionName, StringComparison.Ordinal);

    private static string ChunkName(int index) => index == 0 ? SessionName + "_0" : SessionName + "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static CookieOptions Options(bool secure, TimeSpan? maxAge) => new()
    {
        Path = "/",
        HttpOnly = true,
        Secure = secure,
        // Lax: the issuer's redirect back to the callback is a top-level GET from another site, which must carry the state cookie.
        SameSite = SameSiteMode.Lax,
        MaxAge = maxAge,
    };

    private string Seal<T>(T value, string kind)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        var sealedValue = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceSize + TagSize), sealedValue.AsSpan(NonceSize, TagSize), Context(kind));
        return Base64Url.EncodeToString(sealedValue);
    }

    private T? Open<T>(string text, string kind)
        where T : class
    {
        try
        {
            var sealedValue = Base64Url.DecodeFromChars(text);
            if (sealedValue.Length < NonceSize + TagSize)
            {
                return null;
            }

            var plain = new byte[sealedValue.Length - NonceSize - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize + TagSize), sealedValue.AsSpan(NonceSize, TagSize), plain, Context(kind));
            return JsonSerializer.Deserialize<T>(plain, Json);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or JsonException)
        {
            return null; // forged, truncated, from another app or another key: as if absent
        }
    }

    private byte[] Context(string kind) => Encoding.UTF8.GetBytes($"nuage-oauth2/{kind}/{clientId}");
}

/// <summary>What the session cookie holds (times in Unix seconds).</summary>
internal sealed record OidcSession(
    string User,
    string? Email,
    IReadOnlyList<string> Groups,
    string? AccessToken,
    string? RefreshToken,
    long AccessExpires,
    long SessionExpires);

/// <summary>What the sign-in state cookie holds between the redirect to the issuer and the callback.</summary>
internal sealed record OidcLoginState(string State, string Nonce, string Verifier, string RedirectUri, string ReturnTo, long Expires, bool Retried);

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Nuage.Core.Oidc;

namespace Nuage.Router.Flow;

internal sealed partial class OidcGate
{
    // Requests arriving together with the same expiring session share one refresh (issuers rotate refresh tokens: a second
    // use of the old one would end the session).
    private readonly ConcurrentDictionary<string, Lazy<Task<TokenAnswer?>>> _refreshing = new(StringComparer.Ordinal);

    private async Task CallbackAsync(HttpContext context, AppRoute route, FlowEnvironment environment)
    {
        var secure = environment.IsHttps(context);
        var query = context.Request.Query;
        var saved = _cookies.ReadState(context.Request);
        _cookies.DeleteState(context, secure);
        if (query["error"].ToString() is { Length: > 0 } error)
        {
            await FailAsync(context, route, environment, StatusCodes.Status403Forbidden, $"the issuer refused the sign-in: {error} {query["error_description"]}".TrimEnd(),
                "The sign-in service refused the sign-in (" + error + "). Try again, or ask the app's owner for access.");
            return;
        }

        if (saved is null)
        {
            await FailAsync(context, route, environment, StatusCodes.Status400BadRequest, "no sign-in state cookie (expired, blocked, or another browser)",
                "This sign-in was not started in this browser, or its cookie was blocked. Open the app again to start a new sign-in.");
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(saved.State), Encoding.UTF8.GetBytes(query["state"].ToString())))
        {
            await FailAsync(context, route, environment, StatusCodes.Status400BadRequest, "state mismatch",
                "This sign-in answer does not belong to the sign-in this browser started (state mismatch). Open the app again to start a new sign-in.");
            return;
        }

        if (saved.Expires <= environment.Time.GetUtcNow().ToUnixTimeSeconds())
        {
            if (!saved.Retried)
            {
                FlowLog.StateExpiredRetrying(environment.Logger, route.AppId, context.TraceIdentifier);
                await StartSignInAsync(context, route, environment, saved.ReturnTo, retried: true);
                return;
            }

            await FailAsync(context, route, environment, StatusCodes.Status400BadRequest, "sign-in state expired twice",
                "The sign-in took too long twice in a row. Open the app again to start a new sign-in.");
            return;
        }

        TokenAnswer answer;
        JsonWebToken idToken;
        try
        {
            var issuer = await environment.Issuers.GetAsync(Config.Issuer, Config.ClientId, context.RequestAborted);
            answer = await TokenAsync(environment, issuer,
            [
                new("grant_type", "authorization_code"), new("code", query["code"].ToString()), new("redirect_uri", saved.RedirectUri), new("code_verifier", saved.Verifier),
            ], context.RequestAborted) ?? throw new OidcTokenException("the issuer refused the authorization code (expired or already used)");
            idToken = await issuer.Validator.ValidateAsync(answer.IdToken ?? throw new OidcTokenException("the token answer has no id_token"), saved.Nonce, requireNonce: true, context.RequestAborted);
        }
        catch (OidcIssuerException e)
        {
            await IssuerDownAsync(context, route, environment, e.Message);
            return;
        }
        catch (OidcTokenException e)
        {
            await FailAsync(context, route, environment, StatusCodes.Status400BadRequest, e.Message, "The sign-in could not be verified. Open the app again to start a new sign-in.");
            return;
        }

        var now = environment.Time.GetUtcNow();
        var session = new OidcSession(
            Claim(idToken, "preferred_username") ?? idToken.Subject,
            idToken.TryGetPayloadValue<bool>("email_verified", out var verified) && !verified ? null : Claim(idToken, "email"),
            Groups(idToken),
            answer.AccessToken,
            answer.RefreshToken,
            answer.ExpiresIn is > 0 ? now.AddSeconds(answer.ExpiresIn.Value).ToUnixTimeSeconds() : 0,
            now.AddSeconds(Config.SessionLifetimeSeconds).ToUnixTimeSeconds());
        if (!_cookies.WriteSession(context, session, secure, TimeSpan.FromSeconds(Config.SessionLifetimeSeconds)))
        {
            await FailAsync(context, route, environment, StatusCodes.Status500InternalServerError, "session too large for the cookies",
                "The session from the sign-in service is too large to keep. Ask the app's owner to drop --pass-access-token or to trim the token's claims.");
            return;
        }

        FlowLog.SignedIn(environment.Logger, route.AppId, session.Email ?? session.User, context.TraceIdentifier);
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = IsLocal(saved.ReturnTo) ? saved.ReturnTo : "/";
        context.Response.Headers.CacheControl = "no-store";
    }

    private async Task<OidcSession?> RefreshAsync(HttpContext context, AppRoute route, FlowEnvironment environment, OidcSession session)
    {
        var secure = environment.IsHttps(context);
        var refreshToken = session.RefreshToken!;
        var lazy = _refreshing.GetOrAdd(refreshToken, token => new Lazy<Task<TokenAnswer?>>(async () =>
        {
            var issuer = await environment.Issuers.GetAsync(Config.Issuer, Config.ClientId, CancellationToken.None);
            return await TokenAsync(environment, issuer, [new("grant_type", "refresh_token"), new("refresh_token", token)], CancellationToken.None);
        }));
        TokenAnswer? answer;
        var failure = "the issuer refused the refresh token";
        try
        {
            answer = await lazy.Value.WaitAsync(context.RequestAborted);
        }
        catch (OidcIssuerException e)
        {
            answer = null;
            failure = e.Message;
        }
        finally
        {
            if (_refreshing.Count > 1000)
            {
                _refreshing.Clear();
            }
        }

        _ = Task.Delay(TimeSpan.FromSeconds(30), environment.Time).ContinueWith(_ => _refreshing.TryRemove(refreshToken, out var _), TaskScheduler.Default);
        if (answer?.AccessToken is null)
        {
            FlowLog.RefreshFailed(environment.Logger, route.AppId, failure);
            _cookies.DeleteSession(context, secure);
            return null; // signs in again (the issuer's own session usually makes that one redirect there and back)
        }

        var now = environment.Time.GetUtcNow();
        var refreshed = session with
        {
            AccessToken = answer.AccessToken,
            RefreshToken = answer.RefreshToken ?? refreshToken,
            AccessExpires = answer.ExpiresIn is > 0 ? now.AddSeconds(answer.ExpiresIn.Value).ToUnixTimeSeconds() : 0,
        };
        var left = DateTimeOffset.FromUnixTimeSeconds(session.SessionExpires) - now;
        return _cookies.WriteSession(context, refreshed, secure, left > TimeSpan.Zero ? left : TimeSpan.Zero) ? refreshed : null;
    }

    /// <summary>The token endpoint's answer; null when it refused (4xx); throws <see cref="OidcIssuerException"/> when it is down.</summary>
    private async Task<TokenAnswer?> TokenAsync(FlowEnvironment environment, OidcIssuerEntry issuer, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        form.Add(new("client_id", Config.ClientId));
        if (Config.ClientSecret is { } secret)
        {
            form.Add(new("client_secret", secret));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await environment.Issuers.Http.PostAsync(issuer.TokenEndpoint, content, timeout.Token);
            if ((int)response.StatusCode is >= 400 and < 500)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new OidcIssuerException($"{issuer.TokenEndpoint} answered HTTP {(int)response.StatusCode}");
            }

            return await response.Content.ReadFromJsonAsync<TokenAnswer>(timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new OidcIssuerException($"{issuer.TokenEndpoint} could not be reached: {e.Message}");
        }
    }

    private Task FailAsync(HttpContext context, AppRoute route, FlowEnvironment environment, int status, string reason, string message)
    {
        FlowLog.SignInFailed(environment.Logger, route.AppId, reason, context.TraceIdentifier);
        return OidcPages.WriteAsync(context, status, "Sign-in failed", message);
    }

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static List<string> Groups(JsonWebToken token) =>
        token.TryGetPayloadValue<string[]>("groups", out var groups) && groups is not null ? [.. groups.Where(g => !string.IsNullOrEmpty(g)).Take(100)] : [];

    private sealed record TokenAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("id_token")] string? IdToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string? AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long? ExpiresIn);
}

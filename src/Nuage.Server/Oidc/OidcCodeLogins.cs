using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>A started authorization-code sign-in: where to send the browser, and the secret that binds the answer to its starter.</summary>
internal sealed record OidcCodeStart(string AuthorizationUrl, string State, string Binding, string Issuer);

/// <summary>A finished authorization-code sign-in: the session, and where the console goes next.</summary>
internal sealed record OidcCodeResult(OidcSession Session, string? ReturnTo);

/// <summary>
/// The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636 S256), for the console and for
/// <c>nuage login --oidc --browser</c>. <see cref="Begin"/> makes a fresh state, nonce, code verifier and binding secret
/// and keeps them in memory under the state; <see cref="CompleteAsync"/> accepts the issuer's answer once: the state must
/// be pending, unexpired and presented with its binding (the console's cookie, the CLI's handle), else the callback is
/// forged or replayed. The code is exchanged with the verifier at the token endpoint (so a stolen code is useless) and the
/// ID token must carry the nonce. Pending sign-ins live in memory: a restart forgets them (start again).
/// </summary>
internal sealed partial class OidcCodeLogins(OidcIssuers issuers, OidcSessions sessions, TimeProvider time, ILogger<OidcCodeLogins> logger)
{
    /// <summary>How long the user has at the issuer before the sign-in must be started again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>At most this many sign-ins wait at once (the start endpoints are anonymous).</summary>
    public const int MaxPending = 1000;

    private readonly ConcurrentDictionary<string, PendingCode> _pending = new(StringComparer.Ordinal);

    public OidcCodeStart Begin(string? issuerUrl, Uri redirectUri, string? returnTo)
    {
        var entry = issuers.Find(issuerUrl);
        var endpoint = entry.Issuer.AuthorizationEndpoint
            ?? throw Failed($"{entry.Issuer.Issuer} has no authorization_endpoint in its discovery document, so browser sign-in is not possible");
        ForgetExpired();
        if (_pending.Count >= MaxPending)
        {
            throw new NuageException(ErrorKind.RateLimited, ErrorCodes.OidcTooManyPending, $"{MaxPending} browser sign-ins are already pending; retry in a minute.");
        }

        var pending = new PendingCode(entry, redirectUri, NewSecret(), NewSecret(), NewSecret(), NewSecret(), returnTo, time.GetUtcNow() + Lifetime);
        _pending[pending.State] = pending;
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(pending.Verifier)));
        var url = QueryHelpers.AddQueryString(endpoint.ToString(), new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = entry.Issuer.ClientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["scope"] = entry.Issuer.Scopes,
            ["state"] = pending.State,
            ["nonce"] = pending.Nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        return new OidcCodeStart(url, pending.State, pending.Binding, entry.Issuer.Issuer);
    }

    /// <summary>
    /// The issuer's answer (<c>code</c>, or <c>error</c>) for <paramref name="state"/>, presented with its binding. The
    /// pending sign-in is used up whatever the outcome, so a callback can never be replayed.
    /// </summary>
    public async Task<OidcCodeResult> CompleteAsync(string? state, string? binding, string? code, string? error, string? errorDescription, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidInput, [new FieldError("state", state, "give the state the sign-in started with (the issuer sends it back with the code)")]);
        }

        if (!_pending.TryRemove(state, out var pending))
        {
            throw StateInvalid("this sign-in is unknown or was already used (a replayed or forged callback, or the server restarted)");
        }

        if (!FixedTimeEquals(binding, pending.Binding))
        {
            throw StateInvalid("this sign-in was not started by this browser or terminal (its state does not match the one this server gave it)");
        }

        if (time.GetUtcNow() >= pending.ExpiresAt)
        {
            throw StateInvalid($"this sign-in was started more than {Lifetime.TotalMinutes:0} minutes ago and expired");
        }

        var issuer = pending.Entry.Issuer;
        if (!string.IsNullOrEmpty(error))
        {
            var described = string.IsNullOrEmpty(errorDescription) ? error : $"{error} ({errorDescription})";
            throw error == "access_denied"
                ? new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcAccessDenied, $"The sign-in was refused at {issuer.Issuer}: {described}.")
                : Failed($"{issuer.Issuer} answered the sign-in with an error: {described}");
        }

        if (string.IsNullOrEmpty(code))
        {
            throw Failed($"{issuer.Issuer} answered the sign-in with neither a code nor an error");
        }

        using var answer = await OidcIssuerCalls.PostFormAsync(issuers.Http, issuer, issuer.TokenEndpoint,
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", pending.RedirectUri.ToString()),
            new("code_verifier", pending.Verifier),
        ], cancellationToken);
        if (answer.ErrorCode is "invalid_grant")
        {
            throw new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcCodeRefused,
                $"{issuer.TokenEndpoint} refused the authorization code ({answer.Error}): it expired, was already used, or was not issued for this sign-in; sign in again.");
        }

        if (answer.Error is { } refused)
        {
            throw Failed($"{issuer.TokenEndpoint} refused the authorization code: {refused}");
        }

        var root = answer.Json!.RootElement;
        var idToken = OidcIssuerCalls.OptionalText(root, "id_token")
            ?? throw Failed($"{issuer.TokenEndpoint} answered without an id_token (is the openid scope allowed for client '{issuer.ClientId}'?)");
        try
        {
            var token = await pending.Entry.Validator.ValidateAsync(idToken, pending.Nonce, requireNonce: true, cancellationToken);
            var session = await sessions.SignInAsync(issuer, token, OidcIssuerCalls.OptionalText(root, "refresh_token"), cancellationToken);
            return new OidcCodeResult(session, pending.ReturnTo);
        }
        catch (OidcTokenException e)
        {
            LogCodeTokenRefused(logger, issuer.Issuer, e.Message);
            throw new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcTokenInvalid, $"Sign-in at {issuer.Issuer} refused: {e.Message}.");
        }
        catch (OidcIssuerException e)
        {
            throw Failed(e.Message);
        }
    }

    private void ForgetExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (state, pending) in _pending)
        {
            if (now >= pending.ExpiresAt)
            {
                _pending.TryRemove(state, out _);
            }
        }
    }

    private static bool FixedTimeEquals(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static NuageException StateInvalid(string reason) =>
        new(ErrorKind.Unauthorized, ErrorCodes.OidcStateInvalid, $"Sign-in refused: {reason}; start the sign-in again.");

    private static NuageException Failed(string message) => new(ErrorKind.Failed, ErrorCodes.OidcIssuerFailed, message);

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 2803, Level = LogLevel.Warning, Message = "An ID token from {Issuer} (authorization-code sign-in) was refused: {Reason}")]
    private static partial void LogCodeTokenRefused(ILogger logger, string issuer, string reason);

    private sealed record PendingCode(
        OidcIssuers.Entry Entry, Uri RedirectUri, string State, string Nonce, string Verifier, string Binding, string? ReturnTo, DateTimeOffset ExpiresAt);
}

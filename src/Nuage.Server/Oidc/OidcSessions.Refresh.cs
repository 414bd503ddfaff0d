using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>
/// Session refresh: the issuer's refresh token (kept sealed, bound to its session) is exchanged for fresh tokens, the
/// new ID token is validated like the first one, and the group mapping is applied again, so a user removed from a group
/// at the issuer loses what the group gave here at the next refresh. An issuer that refuses the refresh token (the
/// user was disabled, or signed out there) ends the session.
/// </summary>
internal sealed partial class OidcSessions
{
    private const string RefreshTokenContext = "oidc-refresh-token:";

    /// <summary>Refreshes the session behind <paramref name="tokenId"/>; false when it has no refresh token to use.</summary>
    public async Task<bool> RefreshAsync(string tokenId, CancellationToken cancellationToken)
    {
        var session = await store.Oidc.FindSessionAsync(tokenId, cancellationToken)
            ?? throw NuageException.NotFound(ErrorCodes.NotFound, $"Token {tokenId} is not an OpenID Connect session.");
        if (session.SealedRefreshToken is not { } sealedToken)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (issuers.TryFind(session.Issuer) is not { } entry)
        {
            // The provider was removed (nuage auth provider rm, or its flag dropped at a restart): its sessions end.
            await store.Tokens.RevokeAsync(tokenId, now, cancellationToken);
            LogRefreshRefused(logger, tokenId, session.Issuer, "the issuer is no longer trusted");
            throw NuageException.Unauthorized($"{session.Issuer} is no longer a trusted issuer; session {tokenId} was ended, sign in again.");
        }

        var issuer = entry.Issuer;
        using var answer = await OidcIssuerCalls.PostFormAsync(issuers.Http, issuer, issuer.TokenEndpoint,
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", box.Open(sealedToken, RefreshTokenContext + tokenId)),
        ], cancellationToken);
        if (answer.ErrorCode is "invalid_grant")
        {
            await store.Tokens.RevokeAsync(tokenId, now, cancellationToken);
            LogRefreshRefused(logger, tokenId, issuer.Issuer, answer.Error!);
            throw NuageException.Unauthorized($"{issuer.Issuer} no longer accepts the session's refresh token ({answer.Error}); session {tokenId} was ended, sign in again.");
        }

        if (answer.Error is { } error)
        {
            throw new NuageException(ErrorKind.Failed, ErrorCodes.OidcIssuerFailed, $"{issuer.TokenEndpoint} refused the refresh: {error}");
        }

        var root = answer.Json!.RootElement;
        if (OidcIssuerCalls.OptionalText(root, "id_token") is { } idToken)
        {
            var user = await store.Orgs.FindUserByIdAsync(session.UserId, cancellationToken)
                ?? throw NuageException.Unauthorized($"The user of session {tokenId} no longer exists.");
            // A refreshed ID token answers our own back-channel request: its nonce, if any, is the first sign-in's.
            var nonce = new JsonWebToken(idToken).TryGetPayloadValue<string>("nonce", out var sent) ? sent : null;
            var token = await ValidateOrEndAsync(entry, idToken, nonce, tokenId, cancellationToken);
            using var claims = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
            if (EmailOf(claims.RootElement) != user.Email)
            {
                await store.Tokens.RevokeAsync(tokenId, now, cancellationToken);
                throw NuageException.Unauthorized($"The refreshed ID token names another user than session {tokenId}'s; the session was ended.");
            }

            await ReconcileGroupsAsync(issuer, user, GroupsOf(claims.RootElement), now, cancellationToken);
        }

        var rotated = OidcIssuerCalls.OptionalText(root, "refresh_token");
        await store.Oidc.SaveSessionAsync(session with
        {
            SealedRefreshToken = rotated is null ? sealedToken : SealRefreshToken(tokenId, rotated),
            RefreshedAt = now,
        }, cancellationToken);
        await ExtendAsync(tokenId, now, cancellationToken);
        return true;
    }

    /// <summary>
    /// A successful refresh slides the session: it now ends <see cref="OidcOptions.SessionLifetime"/> after this
    /// refresh, but never later than its sign-in plus <see cref="OidcOptions.SessionMaxLifetime"/> (then the user signs
    /// in again). A refresh that fails leaves the expiry where it was.
    /// </summary>
    private async Task ExtendAsync(string tokenId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.Tokens.FindByIdAsync(tokenId, cancellationToken) is not { RevokedAt: null } token)
        {
            return;
        }

        var cap = token.CreatedAt + options.SessionMaxLifetime;
        var next = now + options.SessionLifetime < cap ? now + options.SessionLifetime : cap;
        if (token.ExpiresAt is not { } expires || next > expires)
        {
            await store.Tokens.SetExpiryAsync(tokenId, next, cancellationToken);
        }
    }

    private async Task<JsonWebToken> ValidateOrEndAsync(OidcIssuers.Entry entry, string idToken, string? nonce, string tokenId, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Validator.ValidateAsync(idToken, nonce, requireNonce: false, cancellationToken);
        }
        catch (OidcTokenException e)
        {
            await store.Tokens.RevokeAsync(tokenId, time.GetUtcNow(), cancellationToken);
            throw new NuageException(ErrorKind.Unauthorized, ErrorCodes.OidcTokenInvalid, $"The refreshed ID token was refused ({e.Message}); session {tokenId} was ended.");
        }
    }

    private byte[]? SealRefreshToken(string tokenId, string? refreshToken) =>
        string.IsNullOrEmpty(refreshToken) ? null : box.Seal(refreshToken, RefreshTokenContext + tokenId);

    [LoggerMessage(EventId = 2805, Level = LogLevel.Information, Message = "Session {TokenId} ended: {Issuer} refused its refresh token ({Error})")]
    private static partial void LogRefreshRefused(ILogger logger, string tokenId, string issuer, string error);
}

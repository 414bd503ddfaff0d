using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Orgs;
using Nuage.Core.State;
using Nuage.Server.Security;
using Nuage.Core.Oidc;

namespace Nuage.Server.Oidc;

/// <summary>What a successful sign-in produced: the session token (secret shown once) and where it acts.</summary>
internal sealed record OidcSession(StoredToken Token, string Secret, string Email, string Org);

/// <summary>
/// Turns a validated ID token into a session: the user (by email, created when new), the operator's group → role
/// mapping applied (see OidcSessions.Groups.cs: what a group granted is taken back when the group goes; what an admin
/// set by hand is never lowered or removed), a personal token in the organisation where the user's role is highest
/// (ties: the first by name), and the issuer's refresh token kept sealed for OidcSessions.Refresh.cs.
/// </summary>
internal sealed partial class OidcSessions(IStateStore store, OidcOptions options, OidcIssuers issuers, SecretBox box, TimeProvider time, ILogger<OidcSessions> logger)
{
    public const string SessionDescription = "oidc session";

    public async Task<OidcSession> SignInAsync(OidcIssuer issuer, JsonWebToken idToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (issuers.TryFind(issuer.Issuer) is null)
        {
            // The provider was removed while this sign-in was pending.
            throw NuageException.NotFound(ErrorCodes.OidcNotConfigured, $"{issuer.Issuer} was removed from the trusted issuers while this sign-in was pending.");
        }

        using var claims = JsonDocument.Parse(Base64UrlEncoder.Decode(idToken.EncodedPayload));
        var email = EmailOf(claims.RootElement);
        var now = time.GetUtcNow();
        var user = await store.Orgs.EnsureUserAsync(email, now, cancellationToken);
        await ReconcileGroupsAsync(issuer, user, GroupsOf(claims.RootElement), now, cancellationToken);

        (OrgRecord Org, Role Role)? best = null;
        foreach (var org in await store.Orgs.ListAsync(user.Id, cancellationToken))
        {
            if (await store.Orgs.FindMemberAsync(org.Id, user.Id, cancellationToken) is { } member && (best is null || member.Role > best.Value.Role))
            {
                best = (org, member.Role);
            }
        }

        if (best is not { } home)
        {
            throw new NuageException(ErrorKind.Forbidden, ErrorCodes.OidcNoMembership,
                $"{email} signed in at {issuer.Issuer} but is a member of no organisation here, and no {OidcOptions.GroupRoleFlag} mapping matches their groups; an organisation admin adds them with 'nuage org members add {email} --role ROLE'.");
        }

        var secret = TokenSecrets.NewSecret();
        var token = new StoredToken(TokenSecrets.NewId(), TokenSecrets.Hash(secret), home.Role, SessionDescription, now, now + options.SessionLifetime, null)
        {
            OrgId = home.Org.Id,
            UserId = user.Id,
        };
        await store.Tokens.CreateAsync(token, cancellationToken);
        await store.Oidc.SaveSessionAsync(new OidcSessionRecord(token.Id, issuer.Issuer, user.Id, SealRefreshToken(token.Id, refreshToken), now), cancellationToken);
        LogSignedIn(logger, email, issuer.Issuer, home.Org.Name, Roles.Name(home.Role));
        return new OidcSession(token, secret, email, home.Org.Name);
    }

    /// <summary>The verified email: the <c>email</c> claim, else a <c>preferred_username</c> that is an email.</summary>
    private static string EmailOf(JsonElement claims)
    {
        if (claims.TryGetProperty("email_verified", out var verified) && verified.ValueKind == JsonValueKind.False)
        {
            throw new OidcTokenException("the ID token's email is not verified at the issuer (email_verified is false)");
        }

        foreach (var name in (string[])["email", "preferred_username"])
        {
            if (claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Emails.IsValid(value.GetString()))
            {
                return Emails.Normalize(value.GetString()!);
            }
        }

        throw new OidcTokenException("the ID token carries no email (an 'email' claim, or a 'preferred_username' that is an email); ask the issuer to release the email scope");
    }

    /// <summary>The <c>groups</c> claim's values and Keycloak's realm roles (<c>realm_access.roles</c>).</summary>
    private static HashSet<string> GroupsOf(JsonElement claims)
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        AddStrings(claims, "groups", groups);
        if (claims.TryGetProperty("realm_access", out var realm) && realm.ValueKind == JsonValueKind.Object)
        {
            AddStrings(realm, "roles", groups);
        }

        return groups;
    }

    private static void AddStrings(JsonElement parent, string name, HashSet<string> into)
    {
        if (parent.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array)
        {
            into.UnionWith(values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
        }
    }

    [LoggerMessage(EventId = 2800, Level = LogLevel.Information, Message = "{Email} signed in with OpenID Connect at {Issuer}: session in {Org} as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string email, string issuer, string org, string role);

    [LoggerMessage(EventId = 2801, Level = LogLevel.Warning, Message = "--oidc-group-role names the organisation {Org}, which does not exist; the mapping was skipped for {Email}")]
    private static partial void LogMappedOrgMissing(ILogger logger, string org, string email);
}

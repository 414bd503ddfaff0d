using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Router.Flow;
using Nuage.Server.Apps;
using Nuage.Server.Instances;

namespace Nuage.Server.Flow;

/// <summary>
/// <c>nuage flow</c> and <c>nuage protect</c>: an app's redirects, headers, compression and basic-auth protection, validated
/// (every problem named by field), stored, and republished with the app's route. Every method checks the caller's role.
/// </summary>
internal sealed class FlowService(AppService apps, AppFlows flows, AppInstances instances, TimeProvider time)
{
    private readonly SemaphoreSlim _write = new(1, 1);

    public async Task<FlowDto> GetAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading the request flow");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return Describe(flows.Of(app.Id));
    }

    /// <summary>Replaces the flow settings (basic auth is kept as it is).</summary>
    public async Task<FlowDto> SetAsync(Caller caller, string appName, FlowDto? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Changing the request flow");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        request ??= new FlowDto();
        return await UpdateAsync(app.Id, current => (current ?? new FlowConfig()) with
        {
            ForceHttps = request.ForceHttps,
            CanonicalHost = string.IsNullOrEmpty(request.CanonicalHost) ? null : request.CanonicalHost,
            Rules = [.. (request.Rules ?? []).Select(r => new FlowRule(r.Kind, r.Pattern, r.Target) { Status = r.Status })],
            Headers = [.. (request.Headers ?? []).Select(h => new FlowHeader(h.Name, h.Value))],
            Compression = request.Compression,
            CacheSizeBytes = request.CacheSizeBytes,
        }, cancellationToken);
    }

    /// <summary>Empties the app's response cache: a new generation republishes the route, whose new policy starts empty.</summary>
    public async Task<FlowDto> PurgeCacheAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Purging the response cache");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return await UpdateAsync(app.Id, current =>
        {
            if (current?.CacheSizeBytes is null)
            {
                throw NuageException.Invalid(ErrorCodes.InvalidFlow, [new FieldError("cacheSizeBytes", null, $"app \"{app.Name}\" has no response cache; turn it on with 'nuage flow cache --size 64MB --app {app.Name}'")]);
            }

            return current with { CacheGeneration = current.CacheGeneration + 1 };
        }, cancellationToken);
    }

    /// <summary>Adds or replaces a basic-auth user (the password is hashed here and never stored as given).</summary>
    public async Task<FlowDto> SetUserAsync(Caller caller, string appName, string user, ProtectUserRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Protecting an app");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var password = request?.Password;
        if (string.IsNullOrEmpty(password) || password.Length is < 8 or > 1024)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidFlow, [new FieldError("password", null, "give a password of 8 to 1024 characters")]);
        }

        var hash = BasicAuthHashes.Hash(password);
        return await UpdateAsync(app.Id, current =>
        {
            var basic = current?.BasicAuth ?? new BasicAuthConfig();
            basic = basic with
            {
                Realm = request!.Realm ?? basic.Realm,
                ExcludedPaths = request.ExcludedPaths ?? basic.ExcludedPaths,
                Users = [.. basic.Users.Where(u => u.User != user), new BasicAuthUser(user, hash)],
            };
            return (current ?? new FlowConfig()) with { BasicAuth = basic };
        }, cancellationToken);
    }

    public async Task<FlowDto> RemoveUserAsync(Caller caller, string appName, string user, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Protecting an app");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return await UpdateAsync(app.Id, current =>
        {
            if (current?.BasicAuth is not { } basic || basic.Users.All(u => u.User != user))
            {
                throw NuageException.NotFound(ErrorCodes.ProtectionUserNotFound, $"App \"{app.Name}\" has no basic-auth user \"{user}\"; 'nuage protect show --app {app.Name}' lists them.");
            }

            var left = basic.Users.Where(u => u.User != user).ToList();
            return current with { BasicAuth = left.Count == 0 ? null : basic with { Users = left } };
        }, cancellationToken);
    }

    /// <summary>
    /// Protects the app with OpenID Connect (replacing the settings of a former OIDC protection). The session key is made
    /// once and kept, so changing the rules does not sign everyone out; a missing secret keeps the stored one for the same client.
    /// </summary>
    public async Task<FlowDto> ProtectOidcAsync(Caller caller, string appName, OidcProtectionDto? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Protecting an app");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        request ??= new OidcProtectionDto();
        return await UpdateAsync(app.Id, current =>
        {
            var before = current?.Oidc;
            var issuer = (request.Issuer ?? "").TrimEnd('/');
            var sameClient = before is not null && before.Issuer == issuer && before.ClientId == request.ClientId;
            var oidc = new OidcAuthConfig
            {
                Issuer = issuer,
                ClientId = request.ClientId ?? "",
                ClientSecret = request.ClientSecret ?? (sameClient ? before!.ClientSecret : null),
                SessionKey = before?.SessionKey ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                Scopes = request.Scopes is { Count: > 0 } scopes ? [.. scopes] : new OidcAuthConfig().Scopes,
                AllowedEmails = [.. request.AllowedEmails ?? []],
                AllowedDomains = [.. request.AllowedDomains ?? []],
                AllowedGroups = [.. request.AllowedGroups ?? []],
                ExcludedPaths = [.. request.ExcludedPaths ?? []],
                PassAccessToken = request.PassAccessToken,
                SessionLifetimeSeconds = request.SessionLifetimeSeconds ?? OidcAuthConfig.DefaultSessionLifetimeSeconds,
            };
            return (current ?? new FlowConfig()) with { Oidc = oidc };
        }, cancellationToken);
    }

    /// <summary>Removes the protection altogether (basic auth or OIDC).</summary>
    public async Task<FlowDto> UnprotectAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Protecting an app");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return await UpdateAsync(app.Id, current => (current ?? new FlowConfig()) with { BasicAuth = null, Oidc = null }, cancellationToken);
    }

    private async Task<FlowDto> UpdateAsync(string appId, Func<FlowConfig?, FlowConfig> change, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            var updated = change(flows.Of(appId));
            NuageException.ThrowIfInvalid(ErrorCodes.InvalidFlow, updated.Validate());
            await flows.SaveAsync(appId, updated, time.GetUtcNow(), cancellationToken);
            await instances.RepublishAsync(appId, cancellationToken);
            return Describe(flows.Of(appId));
        }
        finally
        {
            _write.Release();
        }
    }

    private static FlowDto Describe(FlowConfig? config) => config is null ? new FlowDto() : new FlowDto
    {
        ForceHttps = config.ForceHttps,
        CanonicalHost = config.CanonicalHost,
        Rules = [.. config.Rules.Select(r => new FlowRuleDto(r.Kind, r.Pattern, r.Target, r.Status))],
        Headers = [.. config.Headers.Select(h => new FlowHeaderDto(h.Name, h.Value))],
        Compression = config.Compression,
        CacheSizeBytes = config.CacheSizeBytes,
        BasicAuth = config.BasicAuth is { } basic ? new BasicAuthDto(basic.Realm, [.. basic.Users.Select(u => u.User)], [.. basic.ExcludedPaths]) : null,
        Oidc = config.Oidc is { } oidc ? new OidcProtectionDto
        {
            Issuer = oidc.Issuer,
            ClientId = oidc.ClientId,
            HasClientSecret = oidc.ClientSecret is not null,
            Scopes = [.. oidc.Scopes],
            AllowedEmails = [.. oidc.AllowedEmails],
            AllowedDomains = [.. oidc.AllowedDomains],
            AllowedGroups = [.. oidc.AllowedGroups],
            ExcludedPaths = [.. oidc.ExcludedPaths],
            PassAccessToken = oidc.PassAccessToken,
            SessionLifetimeSeconds = oidc.SessionLifetimeSeconds,
        } : null,
    };
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Security;

namespace Nuage.Server.Oidc;

/// <summary>
/// <c>nuage auth provider add|list|rm</c> (platform operator only): OpenID Connect issuers trusted at run time, beside
/// the ones from the server's flags. An issuer is discovered (document and key set) before it is stored, so an
/// unreachable issuer or an invalid document is refused with the URL and the reason. The client secret of a
/// confidential client is sealed with the data directory's key and never returned. Removing a provider ends the live
/// sessions signed in there at once (the operator stops trusting what that issuer asserts). At the server's start,
/// stored providers are discovered again; one that cannot be is listed with the reason and retried every minute.
/// </summary>
internal sealed partial class OidcProviders(IStateStore store, OidcIssuers issuers, SecretBox box, TimeProvider time, ILogger<OidcProviders> logger)
{
    private const string SecretContext = "oidc-client-secret:";
    private const string Ok = "ok";

    private readonly Dictionary<string, string> _unavailable = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Discovers the stored providers (at start); one that fails is kept aside with its reason, not fatal.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await store.Oidc.ListProvidersAsync(cancellationToken))
        {
            await TryActivateAsync(record, cancellationToken);
        }
    }

    /// <summary>Tries the stored providers that could not be discovered again; returns how many became usable.</summary>
    public async Task<int> RetryUnavailableAsync(CancellationToken cancellationToken)
    {
        string[] pending;
        lock (_gate)
        {
            pending = [.. _unavailable.Keys];
        }

        if (pending.Length == 0)
        {
            return 0;
        }

        var activated = 0;
        foreach (var record in (await store.Oidc.ListProvidersAsync(cancellationToken)).Where(r => pending.Contains(r.Issuer)))
        {
            activated += await TryActivateAsync(record, cancellationToken) ? 1 : 0;
        }

        return activated;
    }

    public async Task<IReadOnlyList<OidcProviderDto>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireOperator("Listing OpenID Connect providers");
        var list = issuers.All.Where(e => e.Source == OidcIssuers.FromFlags).Select(e => ToDto(e.Issuer, OidcIssuers.FromFlags, Ok)).ToList();
        foreach (var record in await store.Oidc.ListProvidersAsync(cancellationToken))
        {
            list.Add(ToDto(record));
        }

        return list;
    }

    public async Task<OidcProviderDto> AddAsync(Caller caller, OidcProviderRequest request, CancellationToken cancellationToken)
    {
        caller.RequireOperator("Adding an OpenID Connect provider");
        var (config, mappings) = Validate(request);
        caller.Activity.Target = config.Url;
        if (issuers.TryFind(config.Url) is { Source: OidcIssuers.FromFlags })
        {
            throw FromFlags(config.Url);
        }

        OidcIssuer discovered;
        try
        {
            discovered = await OidcDiscovery.DiscoverAsync(config, issuers.Http, cancellationToken);
        }
        catch (OidcDiscovery.DiscoveryException e)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOidcProvider, [new FieldError("issuer", config.Url, e.Message)]);
        }

        var record = new OidcProviderRecord(discovered.Issuer, config.ClientId, config.ClientSecret is { } secret ? box.Seal(secret, SecretContext + discovered.Issuer) : null,
            config.Name, request.GroupRoles ?? [], time.GetUtcNow())
        {
            Scopes = config.Scopes,
        };
        await store.Oidc.SaveProviderAsync(record, cancellationToken);
        issuers.Put(discovered with { GroupRoles = mappings });
        lock (_gate)
        {
            _unavailable.Remove(discovered.Issuer);
        }

        LogAdded(logger, discovered.Issuer, config.ClientId, discovered.TokenAuthMethod);
        var saved = (await store.Oidc.ListProvidersAsync(cancellationToken)).First(p => p.Issuer == discovered.Issuer);
        return ToDto(saved);
    }

    public async Task<OidcProviderDto> RemoveAsync(Caller caller, string? issuer, CancellationToken cancellationToken)
    {
        caller.RequireOperator("Removing an OpenID Connect provider");
        if (string.IsNullOrWhiteSpace(issuer))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOidcProvider, [new FieldError("issuer", issuer, "name the provider's issuer URL, as 'nuage auth provider list' shows it")]);
        }

        caller.Activity.Target = issuer;
        if (issuers.TryFind(issuer) is { Source: OidcIssuers.FromFlags })
        {
            throw FromFlags(issuer);
        }

        var record = (await store.Oidc.ListProvidersAsync(cancellationToken)).FirstOrDefault(p => OidcIssuers.Same(p.Issuer, issuer))
            ?? throw NuageException.NotFound(ErrorCodes.OidcProviderNotFound,
                $"No OpenID Connect provider was added with the issuer \"{issuer}\"; 'nuage auth provider list' shows them.");
        await store.Oidc.DeleteProviderAsync(record.Issuer, cancellationToken);
        issuers.Remove(record.Issuer);
        lock (_gate)
        {
            _unavailable.Remove(record.Issuer);
        }

        var now = time.GetUtcNow();
        var ended = 0;
        foreach (var tokenId in await store.Oidc.ListLiveSessionsAsync(record.Issuer, cancellationToken))
        {
            ended += await store.Tokens.RevokeAsync(tokenId, now, cancellationToken) ? 1 : 0;
        }

        LogRemoved(logger, record.Issuer, ended);
        return ToDto(record) with { Status = "removed", SessionsEnded = ended };
    }

    private async Task<bool> TryActivateAsync(OidcProviderRecord record, CancellationToken cancellationToken)
    {
        if (issuers.TryFind(record.Issuer) is { Source: OidcIssuers.FromFlags })
        {
            LogShadowed(logger, record.Issuer);
            return false;
        }

        var config = new OidcIssuerConfig(record.Issuer, record.ClientId)
        {
            Name = record.Name,
            Scopes = record.Scopes,
            ClientSecret = record.SealedClientSecret is { } sealedSecret ? box.Open(sealedSecret, SecretContext + record.Issuer) : null,
        };
        try
        {
            var discovered = await OidcDiscovery.DiscoverAsync(config, issuers.Http, cancellationToken);
            issuers.Put(discovered with { GroupRoles = MappingsOf(record.GroupRoles) });
            lock (_gate)
            {
                _unavailable.Remove(record.Issuer);
            }

            return true;
        }
        catch (OidcDiscovery.DiscoveryException e)
        {
            lock (_gate)
            {
                _unavailable[record.Issuer] = e.Message;
            }

            LogUnavailable(logger, record.Issuer, e.Message);
            return false;
        }
    }

    private OidcProviderDto ToDto(OidcProviderRecord record)
    {
        string? reason;
        lock (_gate)
        {
            _unavailable.TryGetValue(record.Issuer, out reason);
        }

        var active = issuers.TryFind(record.Issuer);
        var status = reason is not null ? "unavailable: " + reason
            : active is { Source: OidcIssuers.FromFlags } ? $"shadowed by the server's {OidcOptions.IssuerFlag} flag"
            : Ok;
        var issuer = active is { Source: OidcIssuers.FromStore } ? active.Issuer : null;
        return new OidcProviderDto(record.Issuer, record.ClientId,
            issuer?.DisplayName ?? OidcDiscovery.DisplayNameOf(new OidcIssuerConfig(record.Issuer, record.ClientId) { Name = record.Name }),
            OidcIssuers.FromStore, record.SealedClientSecret is not null, issuer?.TokenAuthMethod ?? (record.SealedClientSecret is null ? OidcClientAuth.None : "unknown"),
            record.Scopes ?? OidcClientAuth.DefaultScopes, record.GroupRoles, status)
        {
            AddedAt = record.CreatedAt,
        };
    }

    private static OidcProviderDto ToDto(OidcIssuer issuer, string source, string status) =>
        new(issuer.Issuer, issuer.ClientId, issuer.DisplayName, source, issuer.ClientSecret is not null, issuer.TokenAuthMethod, issuer.Scopes,
            [.. (issuer.GroupRoles ?? []).Select(m => $"{m.Group}={m.Org}:{Roles.Name(m.Role)}")], status);

    private static IReadOnlyList<OidcGroupRole>? MappingsOf(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : [.. values.Select(OidcOptions.ParseGroupRole).OfType<OidcGroupRole>()];

    /// <summary>Every field checked at once; the errors name the field, the value and what is accepted.</summary>
    private static (OidcIssuerConfig Config, IReadOnlyList<OidcGroupRole>? Mappings) Validate(OidcProviderRequest request)
    {
        var errors = new List<FieldError>();
        var url = request.Issuer?.Trim() ?? string.Empty;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add(new FieldError("issuer", request.Issuer, "use the issuer's http(s) URL without query, e.g. https://sso.example.com/realms/NAME"));
        }

        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 200 || request.ClientId.Any(char.IsControl))
        {
            errors.Add(new FieldError("clientId", request.ClientId, "the client id registered for Nuage at the issuer (1 to 200 printable characters)"));
        }

        if (request.ClientSecret is { } secret && (secret.Length is 0 or > 1000 || secret.Any(char.IsControl)))
        {
            errors.Add(new FieldError("clientSecret", null, "a confidential client's secret: 1 to 1000 printable characters (omit it for a public client)"));
        }

        if (request.Name is { } name && (name.Length > 100 || name.Any(char.IsControl)))
        {
            errors.Add(new FieldError("name", name, "a label of at most 100 printable characters"));
        }

        var scopes = string.IsNullOrWhiteSpace(request.Scopes) ? null : string.Join(' ', request.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (scopes is not null && (!scopes.Split(' ').Contains("openid") || !ScopePattern().IsMatch(scopes)))
        {
            errors.Add(new FieldError("scopes", request.Scopes, "space-separated scope names (RFC 6749 §3.3) including openid, e.g. \"openid email profile groups\""));
        }

        var mappings = new List<OidcGroupRole>();
        foreach (var value in request.GroupRoles ?? [])
        {
            if (OidcOptions.ParseGroupRole(value ?? string.Empty) is { } mapping)
            {
                mappings.Add(mapping);
            }
            else
            {
                errors.Add(new FieldError("groupRoles", value, $"use GROUP=ORG:ROLE, e.g. /nuage/acme-admins=acme:admin; ORG is {Core.Orgs.OrgNames.Accepted}; ROLE is one of: {Roles.Accepted}"));
            }
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidOidcProvider, errors);
        }

        var config = new OidcIssuerConfig(url.TrimEnd('/'), request.ClientId!)
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name,
            ClientSecret = request.ClientSecret,
            Scopes = scopes,
        };
        return (config, mappings.Count == 0 ? null : mappings);
    }

    private static NuageException FromFlags(string issuer) => new(ErrorKind.Conflict, ErrorCodes.OidcProviderFromFlags,
        $"{issuer} is trusted through the server's {OidcOptions.IssuerFlag} flag; change it by restarting the server with other flags.");

    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$")]
    private static partial Regex ScopePattern();

    [LoggerMessage(EventId = 2807, Level = LogLevel.Information, Message = "OpenID Connect provider {Issuer} added (client {ClientId}, token endpoint authentication {Method})")]
    private static partial void LogAdded(ILogger logger, string issuer, string clientId, string method);

    [LoggerMessage(EventId = 2808, Level = LogLevel.Information, Message = "OpenID Connect provider {Issuer} removed; {Sessions} live sessions signed in there were ended")]
    private static partial void LogRemoved(ILogger logger, string issuer, int sessions);

    [LoggerMessage(EventId = 2809, Level = LogLevel.Warning, Message = "OpenID Connect provider {Issuer} (added with 'nuage auth provider add') cannot be discovered: {Reason}; sign-ins there fail until it can (retried every minute)")]
    private static partial void LogUnavailable(ILogger logger, string issuer, string reason);

    [LoggerMessage(EventId = 2810, Level = LogLevel.Warning, Message = "OpenID Connect provider {Issuer} is both stored and given by --oidc-issuer; the flag's configuration is used")]
    private static partial void LogShadowed(ILogger logger, string issuer);
}

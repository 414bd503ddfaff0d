using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Apps;
using Nuage.Server.Hosting;
using Nuage.Server.Instances;
using Nuage.Server.Security;

namespace Nuage.Server.Domains;

/// <summary>
/// Custom domains of apps (<c>nuage domain add|rm|list</c>): validated, stored (private keys sealed), loaded in the
/// router and published with the app's route. Every method checks the caller's role itself.
/// </summary>
internal sealed partial class DomainService(
    IStateStore store, AppService apps, AppInstances instances, AppDomains domains, SecretBox box, NuageServerOptions options, Acme.AcmeCertificates acme, TimeProvider time, ILogger<DomainService> logger)
{
    public async Task<IReadOnlyList<DomainDto>> ListAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing domains");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var acmeStates = (await store.Acme.ListDomainsAsync(cancellationToken)).ToDictionary(a => a.Domain, StringComparer.Ordinal);
        return [.. (await store.Domains.ListAsync(app.Id, cancellationToken)).Select(d => WithAcme(DomainCertificates.Describe(d.Domain, d.CertificatePem), acmeStates.GetValueOrDefault(d.Domain)))];
    }

    /// <summary>Adds a domain to the app, or replaces its certificate when the app already has it.</summary>
    public async Task<DomainDto> AddAsync(Caller caller, string appName, AddDomainRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Adding domains");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var domain = request?.Domain;
        if (DomainNames.Check("domain", domain, options.Domain, app.Name) is { } nameError)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidDomain, [nameError]);
        }

        X509Certificate2? certificate = null;
        if (request!.Certificate is not null || request.Key is not null)
        {
            certificate = DomainCertificates.Validate(domain!, request.Certificate, request.Key, time.GetUtcNow());
        }

        var previous = await store.Domains.FindAsync(domain!, cancellationToken);
        var useAcme = certificate is null && acme.Enabled;
        var keep = useAcme && previous is not null && previous.AppId == app.Id ? previous : null; // "add again" retries ACME, the served certificate stays
        var record = new DomainRecord
        {
            Domain = domain!,
            AppId = app.Id,
            CertificatePem = certificate is null ? keep?.CertificatePem : request.Certificate,
            SealedKey = certificate is null ? keep?.SealedKey : box.Seal(request.Key!, KeyContext(app.Id, domain!)),
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.Domains.UpsertAsync(record, cancellationToken))
        {
            certificate?.Dispose();
            throw await InUseAsync(caller, domain!, cancellationToken);
        }

        try
        {
            if (keep is null)
            {
                domains.Set(app.Id, domain!, certificate, certificate is null ? null : DomainCertificates.Intermediates(request.Certificate!));
            }

            await instances.RepublishAsync(app.Id, cancellationToken);
        }
        catch (NuageException)
        {
            // The router refused the route (another app serves the name): undo, so nothing half-applied remains.
            await UndoAsync(app, record, previous);
            throw;
        }

        if (useAcme)
        {
            await acme.RequestAsync(record.Domain, cancellationToken);
        }
        else
        {
            await acme.ForgetAsync(record.Domain, cancellationToken); // a supplied certificate replaces the ACME one
        }

        return WithAcme(DomainCertificates.Describe(record.Domain, record.CertificatePem), await store.Acme.FindDomainAsync(record.Domain, cancellationToken));
    }

    public async Task RemoveAsync(Caller caller, string appName, string domain, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Removing domains");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        if (!await store.Domains.DeleteAsync(app.Id, domain, cancellationToken))
        {
            throw NuageException.NotFound(ErrorCodes.DomainNotFound, $"App \"{app.Name}\" has no domain \"{domain}\"; 'nuage domain list --app {app.Name}' lists them.");
        }

        domains.Remove(app.Id, domain);
        await instances.RepublishAsync(app.Id, cancellationToken);
        await acme.ForgetAsync(domain, cancellationToken);
    }

    /// <summary>At server start, before routes are published: loads every domain and its certificate.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await store.Domains.ListAsync(null, cancellationToken))
        {
            X509Certificate2? certificate = null;
            if (record is { CertificatePem: { } pem, SealedKey: { } sealedKey })
            {
                try
                {
                    certificate = DomainCertificates.Load(pem, box.Open(sealedKey, KeyContext(record.AppId, record.Domain)));
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    LogCertificateUnreadable(logger, record.Domain, e);
                }
            }

            domains.Set(record.AppId, record.Domain, certificate, certificate is null ? null : DomainCertificates.Intermediates(record.CertificatePem!));
        }
    }

    /// <summary>Sealing context of a domain's private key (supplied or obtained by ACME).</summary>
    public static string KeyContext(string appId, string domain) => $"domain:{appId}:{domain}";

    private static DomainDto WithAcme(DomainDto dto, AcmeDomainRecord? state) =>
        state is null ? dto : dto with { Acme = new DomainAcmeDto(state.Status, state.NextAttemptAt, state.Failures, state.LastError) };

    private async Task<NuageException> InUseAsync(Caller caller, string domain, CancellationToken cancellationToken)
    {
        var owner = await store.Domains.FindAsync(domain, cancellationToken);
        var ownerApp = owner is null ? null : await store.Apps.FindByIdAsync(owner.AppId, cancellationToken);
        if (ownerApp is not null && !caller.CanSee(ownerApp.OrgId))
        {
            ownerApp = null; // domains are global, but the name of another organisation's app is not ours to tell
        }

        return NuageException.Conflict(ErrorCodes.DomainInUse, $"{domain} is already served by app {ownerApp?.Name ?? "another app"}; remove it there first ('nuage domain rm {domain} --app {ownerApp?.Name ?? "OTHER"}').");
    }

    private async Task UndoAsync(AppConfig app, DomainRecord record, DomainRecord? previous)
    {
        if (previous is null)
        {
            await store.Domains.DeleteAsync(app.Id, record.Domain, CancellationToken.None);
            domains.Remove(app.Id, record.Domain);
        }
        else
        {
            await store.Domains.UpsertAsync(previous, CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "The certificate of domain {Domain} cannot be loaded; it is served over HTTP only until added again")]
    private static partial void LogCertificateUnreadable(ILogger logger, string domain, Exception exception);
}

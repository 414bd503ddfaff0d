using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Nuage.Router;

namespace Nuage.Server.Domains;

/// <summary>
/// The custom domains every app serves, kept in memory for route publishing, and their certificates loaded in
/// the router. Filled from the state store at start; changed by <see cref="DomainService"/>.
/// </summary>
internal sealed class AppDomains(NuageRouter router)
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<string, ImmutableSortedSet<string>> _byApp = ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);

    /// <summary>The app's custom domains (empty when none).</summary>
    public IReadOnlyList<string> Of(string appId) =>
        _byApp.TryGetValue(appId, out var domains) ? [.. domains] : [];

    /// <summary>Adds the domain to the app; serves it over HTTPS with <paramref name="certificate"/>, or stops doing so when null.</summary>
    public void Set(string appId, string domain, X509Certificate2? certificate, X509Certificate2Collection? intermediates = null)
    {
        lock (_lock)
        {
            var current = _byApp.GetValueOrDefault(appId) ?? ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
            _byApp = _byApp.SetItem(appId, current.Add(domain));
            if (certificate is null)
            {
                router.RemoveCertificate(domain);
            }
            else
            {
                router.SetCertificate(domain, certificate, intermediates);
            }
        }
    }

    public void Remove(string appId, string domain)
    {
        lock (_lock)
        {
            if (_byApp.TryGetValue(appId, out var current))
            {
                var left = current.Remove(domain);
                _byApp = left.IsEmpty ? _byApp.Remove(appId) : _byApp.SetItem(appId, left);
            }

            router.RemoveCertificate(domain);
        }
    }

    /// <summary>Forgets every domain of a deleted app and unloads their certificates.</summary>
    public void ForgetApp(string appId)
    {
        lock (_lock)
        {
            if (_byApp.TryGetValue(appId, out var current))
            {
                foreach (var domain in current)
                {
                    router.RemoveCertificate(domain);
                }

                _byApp = _byApp.Remove(appId);
            }
        }
    }
}

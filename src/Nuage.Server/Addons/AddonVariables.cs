using Nuage.Core.Api;
using Nuage.Core.State;
using Nuage.Server.Security;

namespace Nuage.Server.Addons;

/// <summary>The variables an app gets from the add-ons linked to it (what its next deploy or restart injects).</summary>
internal sealed class AddonVariables(IStateStore store, SecretBox box, AddonServers servers, AddonEngines engines)
{
    public static string PasswordContext(string addonId) => "addon-password:" + addonId;

    /// <summary>Every linked variable of the app, with the add-on it comes from; a later link wins a name clash.</summary>
    public async Task<IReadOnlyList<LinkedVariableDto>> ForAppAsync(string appId, CancellationToken cancellationToken)
    {
        var links = await store.Addons.ListLinksAsync(null, appId, cancellationToken);
        if (links.Count == 0)
        {
            return [];
        }

        var byId = (await store.Addons.ListAsync(cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var variables = new Dictionary<string, LinkedVariableDto>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (byId.TryGetValue(link.AddonId, out var addon))
            {
                foreach (var (name, value) in Of(addon))
                {
                    variables[name] = new LinkedVariableDto(name, value, addon.Name);
                }
            }
        }

        return [.. variables.Values.OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>The variables of one add-on as a linked app sees them (empty while its server was never started).</summary>
    public IReadOnlyDictionary<string, string> Of(AddonRecord addon) =>
        addon.IsExternal
            ? engines.Of(addon.Type).LinkVariables(addon, addon.ExternalHost!, addon.ExternalPort ?? 0, box.Open(addon.SealedPassword, PasswordContext(addon.Id)))
        : servers.Spec(addon.Id) is { Port: { } port } spec
            ? engines.Of(addon.Type).LinkVariables(addon, AddonServers.HostOf(spec), port, box.Open(addon.SealedPassword, PasswordContext(addon.Id)))
            : new Dictionary<string, string>();
}

using Nuage.Core.Addons;

namespace Nuage.Server.Addons;

/// <summary>The engine of each add-on type (one per entry of <see cref="AddonTypes.All"/>).</summary>
internal sealed class AddonEngines
{
    private readonly Dictionary<string, AddonEngine> _engines =
        new AddonEngine[] { new PostgresEngine(), new MariaDbEngine(), new RedisEngine() }.ToDictionary(e => e.Type.Name, StringComparer.Ordinal);

    public AddonEngine Of(string type) => _engines[type];

    public IEnumerable<AddonEngine> All => _engines.Values;
}

using System.Collections.Immutable;
using System.Text.Json;
using Nuage.Core.State;
using Nuage.Router.Flow;

namespace Nuage.Server.Flow;

/// <summary>Every app's <see cref="FlowConfig"/> in memory, for route publishing; filled from the state store at start.</summary>
internal sealed class AppFlows(IStateStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ImmutableDictionary<string, FlowConfig> _byApp = ImmutableDictionary.Create<string, FlowConfig>(StringComparer.Ordinal);

    /// <summary>The app's flow, or null when it has none.</summary>
    public FlowConfig? Of(string appId) => _byApp.GetValueOrDefault(appId);

    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var (appId, json) in await store.Flows.ListAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<FlowConfig>(json, Json) is { } config)
            {
                ImmutableInterlocked.Update(ref _byApp, all => all.SetItem(appId, config));
            }
        }
    }

    /// <summary>Stores the app's flow (or deletes it when empty) and keeps it for the next publish.</summary>
    public async Task SaveAsync(string appId, FlowConfig config, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (config.IsEmpty)
        {
            await store.Flows.DeleteAsync(appId, cancellationToken);
            ImmutableInterlocked.Update(ref _byApp, all => all.Remove(appId));
        }
        else
        {
            await store.Flows.SaveAsync(appId, JsonSerializer.Serialize(config, Json), at, cancellationToken);
            ImmutableInterlocked.Update(ref _byApp, all => all.SetItem(appId, config));
        }
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using Nuage.Core.State;
using Nuage.Router.Flow;
using Nuage.Server.Security;

namespace Nuage.Server.Flow;

/// <summary>
/// Every app's <see cref="FlowConfig"/> in memory, for route publishing; filled from the state store at start. An OIDC
/// protection's client secret and session key are sealed with the server's <see cref="SecretBox"/> in the stored JSON
/// (bound to the app), and opened here at start: the session key survives restarts, so do the visitors' sessions.
/// </summary>
internal sealed class AppFlows(IStateStore store, SecretBox box)
{
    private const string SealedPrefix = "sealed:";
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
                config = config.Oidc is { } oidc ? config with { Oidc = Open(appId, oidc) } : config;
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
            var stored = config.Oidc is { } oidc ? config with { Oidc = Seal(appId, oidc) } : config;
            await store.Flows.SaveAsync(appId, JsonSerializer.Serialize(stored, Json), at, cancellationToken);
            ImmutableInterlocked.Update(ref _byApp, all => all.SetItem(appId, config));
        }
    }

    private OidcAuthConfig Seal(string appId, OidcAuthConfig oidc) => oidc with
    {
        ClientSecret = oidc.ClientSecret is { } secret ? SealedPrefix + Convert.ToBase64String(box.Seal(secret, Context(appId, "client-secret"))) : null,
        SessionKey = SealedPrefix + Convert.ToBase64String(box.Seal(oidc.SessionKey, Context(appId, "session-key"))),
    };

    private OidcAuthConfig Open(string appId, OidcAuthConfig oidc) => oidc with
    {
        ClientSecret = oidc.ClientSecret is { } secret ? OpenValue(secret, Context(appId, "client-secret")) : null,
        SessionKey = OpenValue(oidc.SessionKey, Context(appId, "session-key")),
    };

    private string OpenValue(string value, string context) =>
        value.StartsWith(SealedPrefix, StringComparison.Ordinal) ? box.Open(Convert.FromBase64String(value[SealedPrefix.Length..]), context) : value;

    private static string Context(string appId, string name) => $"flow-oidc/{appId}/{name}";
}

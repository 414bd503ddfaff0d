using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Env;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Apps;
using Nuage.Server.Security;

namespace Nuage.Server.Env;

/// <summary>
/// An app's variables. Values are sealed with the server key before they reach the store, validated
/// (shape and the deployment-variable registry) before anything is written, and never logged.
/// </summary>
internal sealed class EnvService(IStateStore store, AppService apps, SecretBox box, EnvPolicy policy, Addons.AddonVariables addons)
{
    public const string Redacted = "***";

    public async Task<EnvDto> GetAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading variables");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var values = await ReadAsync(app, cancellationToken);
        if (!caller.IsOperator && caller.Role < Role.Developer)
        {
            // Viewers and accountants read configuration, never secrets.
            values = values.ToDictionary(kv => kv.Key, kv => policy.IsSecret(kv.Key) ? Redacted : kv.Value, StringComparer.Ordinal);
        }

        var linked = await addons.ForAppAsync(app.Id, cancellationToken);
        if (caller.Role == Role.Viewer)
        {
            linked = [.. linked.Select(v => policy.IsSecret(v.Name) || v.Name.EndsWith("_URL", StringComparison.Ordinal) || v.Name.EndsWith("_URI", StringComparison.Ordinal) ? v with { Value = Redacted } : v)];
        }

        return new EnvDto(values, []) { Linked = linked };
    }

    /// <summary>
    /// What a deployment (build, hooks, instances) gets: the app's variables, then those of its linked add-ons, which
    /// win a name clash (they are read-only: the add-on owns them).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadEffectiveAsync(AppConfig app, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(await ReadAsync(app, cancellationToken), StringComparer.Ordinal);
        foreach (var variable in await addons.ForAppAsync(app.Id, cancellationToken))
        {
            values[variable.Name] = variable.Value;
        }

        return values;
    }

    /// <summary>The plaintext variables, for the platform's own use (deployments); never returned to viewers.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(AppConfig app, CancellationToken cancellationToken)
    {
        var sealedValues = await store.Env.GetAllAsync(app.Id, cancellationToken);
        return sealedValues.ToDictionary(kv => kv.Key, kv => box.Open(kv.Value, Context(app, kv.Key)), StringComparer.Ordinal);
    }

    public async Task<EnvDto> SetAsync(Caller caller, string appName, string name, string? value, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Changing variables");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal) { [name] = value };
        var warnings = policy.Check(app, changes);
        var after = new Dictionary<string, string>(await ReadAsync(app, cancellationToken), StringComparer.Ordinal) { [name] = value! };
        EnvPolicy.CheckTotal(after, name);
        await store.Env.ApplyAsync(app.Id, Seal(app, changes), [], cancellationToken);
        return new EnvDto(await ReadAsync(app, cancellationToken), warnings);
    }

    public async Task<EnvDto> ReplaceAsync(Caller caller, string appName, IReadOnlyDictionary<string, string?>? all, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Changing variables");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        if (all is null)
        {
            throw NuageException.Invalid("body", null, "expected a JSON object of NAME: value pairs");
        }

        if (all.Count > EnvNames.MaxVariables)
        {
            throw NuageException.Invalid("body", $"{all.Count} variables", $"at most {EnvNames.MaxVariables} variables are accepted");
        }

        var warnings = policy.Check(app, all);
        EnvPolicy.CheckTotal(all.ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal), null);
        await store.Env.ReplaceAsync(app.Id, Seal(app, all), cancellationToken);
        return new EnvDto(await ReadAsync(app, cancellationToken), warnings);
    }

    /// <summary>
    /// Validates a whole set of variables exactly as <see cref="ReplaceAsync"/> would (same errors, same warnings)
    /// without saving it: the console checks as the user types. Echoes only what the caller sent.
    /// </summary>
    public async Task<EnvCheckDto> CheckAsync(Caller caller, string appName, EnvCheckRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Checking variable changes");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        IReadOnlyDictionary<string, string?> all = request switch
        {
            { Dotenv: { } text } => DotenvParser.Parse(text).ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal),
            { Variables: { } variables } => variables,
            _ => throw NuageException.Invalid("body", null, "send {\"variables\": {NAME: value}} or {\"dotenv\": \"NAME=value\\n…\"}"),
        };
        if (all.Count > EnvNames.MaxVariables)
        {
            throw NuageException.Invalid("body", $"{all.Count} variables", $"at most {EnvNames.MaxVariables} variables are accepted");
        }

        var warnings = policy.Check(app, all);
        var checkedValues = all.ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
        EnvPolicy.CheckTotal(checkedValues, null);
        return new EnvCheckDto(checkedValues, warnings);
    }

    public async Task<EnvDto> RemoveAsync(Caller caller, string appName, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Changing variables");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var current = await store.Env.GetAllAsync(app.Id, cancellationToken);
        if (!current.ContainsKey(name))
        {
            throw NuageException.NotFound(ErrorCodes.VariableNotFound, $"App \"{app.Name}\" has no variable named \"{name}\".");
        }

        await store.Env.ApplyAsync(app.Id, new Dictionary<string, byte[]>(), [name], cancellationToken);
        return new EnvDto(await ReadAsync(app, cancellationToken), []);
    }

    private Dictionary<string, byte[]> Seal(AppConfig app, IReadOnlyDictionary<string, string?> values) =>
        values.ToDictionary(kv => kv.Key, kv => box.Seal(kv.Value!, Context(app, kv.Key)), StringComparer.Ordinal);

    private static string Context(AppConfig app, string name) => $"env:{app.Id}:{name}";
}

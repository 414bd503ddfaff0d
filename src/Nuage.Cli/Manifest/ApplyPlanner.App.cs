using Nuage.Core.Api;
using Nuage.Core.Variables;

namespace Nuage.Cli.Manifest;

internal sealed partial class ApplyPlanner
{
    /// <summary>
    /// The values the app must have. A secret reference takes its value from the environment of apply; when that is
    /// unset, the app keeps the value it has (so a file without secrets can be applied again), and a new app is an error.
    /// </summary>
    private Dictionary<string, string> ResolveVariables(AppManifest app, LiveApp? current)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, spec) in app.Variables)
        {
            if (Resolve(spec, current?.Variables.GetValueOrDefault(name), $"apps.{app.Name}.variables.{name}") is { } value)
            {
                values[name] = value;
            }
        }

        return values;
    }

    private string? Resolve(VariableSpec spec, string? currentValue, string field)
    {
        if (spec.SecretRef is not { } reference)
        {
            return spec.Value;
        }

        if (environment.TryGetValue(reference, out var fromEnvironment))
        {
            return fromEnvironment;
        }

        if (currentValue is not null)
        {
            return currentValue;
        }

        _errors.Add(new(desired.PositionOf(field), field, $"secret reference {reference} is not set in the environment of 'nuage apply' and there is no current value to keep; export {reference}=... first"));
        return null;
    }

    private void PlanVariables(AppManifest app, LiveApp? current, Dictionary<string, string> wanted)
    {
        var have = current?.Variables ?? new Dictionary<string, string>();
        var lines = new List<string>();
        foreach (var (name, value) in wanted.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!have.TryGetValue(name, out var old))
            {
                lines.Add("+" + Shown(name, value));
            }
            else if (old != value)
            {
                lines.Add("~" + Shown(name, value));
            }
        }

        lines.AddRange(have.Keys.Where(k => !wanted.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => "-" + k));
        if (lines.Count > 0)
        {
            _steps.Add(new(current is null ? PlanActions.Create : PlanActions.Change, "app " + app.Name, "variables " + string.Join(" ", lines),
                (client, ct) => client.ReplaceEnvAsync(app.Name, wanted, ct)));
        }
    }

    /// <summary>Values of secrets never reach the plan output; the registry's non-secret settings are shown.</summary>
    private static string Shown(string name, string value) =>
        VariableRegistry.Default.IsSecret(name) ? name : $"{name}={ManifestWriter.Quote(value)}";

    private void PlanDomains(AppManifest app, LiveApp? current)
    {
        var have = current?.Domains.Select(d => d.Domain).ToList() ?? [];
        foreach (var domain in have.Where(d => !app.Domains.Contains(d, StringComparer.OrdinalIgnoreCase)))
        {
            _steps.Add(new(PlanActions.Delete, "app " + app.Name, "domain " + domain, (client, ct) => client.RemoveDomainAsync(app.Name, domain, ct)));
        }

        foreach (var domain in app.Domains.Where(d => !have.Contains(d, StringComparer.OrdinalIgnoreCase)))
        {
            _steps.Add(new(PlanActions.Create, "app " + app.Name, "domain " + domain, (client, ct) => client.AddDomainAsync(app.Name, new AddDomainRequest { Domain = domain }, ct)));
        }
    }

    private void PlanDrains(AppManifest app, LiveApp? current)
    {
        var have = current?.Drains ?? [];
        foreach (var drain in have.Where(d => app.Drains.All(w => w.Identity != Identity(d))))
        {
            _steps.Add(new(PlanActions.Delete, "app " + app.Name, "drain " + Identity(drain), (client, ct) => client.DeleteDrainAsync(app.Name, drain.Id, ct)));
        }

        for (var i = 0; i < app.Drains.Count; i++)
        {
            var drain = app.Drains[i];
            var existing = have.FirstOrDefault(d => Identity(d) == drain.Identity);
            if (existing is not null)
            {
                if (existing.Enabled != drain.Enabled)
                {
                    _steps.Add(new(PlanActions.Change, "app " + app.Name, $"drain {drain.Identity} {(drain.Enabled ? "enabled" : "disabled")}",
                        (client, ct) => client.SetDrainEnabledAsync(app.Name, existing.Id, drain.Enabled, ct)));
                }

                continue;
            }

            var field = $"apps.{app.Name}.drains[{i}]";
            var password = drain.Password is { } p ? Resolve(p, null, field + ".password") : null;
            var token = drain.Token is { } t ? Resolve(t, null, field + ".token") : null;
            _steps.Add(new(PlanActions.Create, "app " + app.Name, "drain " + drain.Identity, async (client, ct) =>
            {
                var created = await client.CreateDrainAsync(app.Name, new CreateDrainRequest
                {
                    Type = drain.Type, Url = drain.Url, Username = drain.Username, Password = password, Token = token, SdParams = drain.SdParams,
                }, ct);
                if (!drain.Enabled)
                {
                    await client.SetDrainEnabledAsync(app.Name, created.Id, false, ct);
                }
            }));
        }
    }

    private void PlanLinks(AppManifest app, LiveApp? current)
    {
        var have = current?.Addons ?? [];
        foreach (var addon in app.Addons.Where(a => !have.Contains(a)))
        {
            _steps.Add(new(PlanActions.Create, "app " + app.Name, "link addon " + addon, (client, ct) => client.LinkAddonAsync(addon, app.Name, false, ct)));
        }

        foreach (var addon in have.Where(a => !app.Addons.Contains(a)))
        {
            _steps.Add(new(PlanActions.Delete, "app " + app.Name, "unlink addon " + addon, (client, ct) => client.UnlinkAddonAsync(addon, app.Name, ct)));
        }
    }

    private static string Identity(DrainDto drain) =>
        new DrainManifest { Type = drain.Type, Url = drain.Url, Username = drain.Username }.Identity;
}

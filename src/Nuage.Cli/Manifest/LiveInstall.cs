using Nuage.Cli.Client;
using Nuage.Core.Api;
using Nuage.Core.Variables;

namespace Nuage.Cli.Manifest;

/// <summary>One app as the API shows it, with what a manifest declares about it.</summary>
internal sealed record LiveApp(AppDto App, IReadOnlyDictionary<string, string> Variables, IReadOnlyList<DomainDto> Domains, IReadOnlyList<DrainDto> Drains, IReadOnlyList<string> Addons)
{
    /// <summary>The app's autoscaling policy (Enabled false when it has none).</summary>
    public AutoscaleDto? Autoscale { get; init; }
}

/// <summary>The state of an organisation, read through the REST API (the CLI is an API client like any other).</summary>
internal sealed record LiveInstall(IReadOnlyList<LiveApp> Apps, IReadOnlyList<AddonDto> Addons)
{
    public LiveApp? App(string name) => Apps.FirstOrDefault(a => a.App.Name == name);

    public AddonDto? Addon(string name) => Addons.FirstOrDefault(a => a.Name == name);

    public static async Task<LiveInstall> ReadAsync(NuageClient client, CancellationToken cancellationToken)
    {
        var addons = await client.ListAddonsAsync(cancellationToken);
        var apps = new List<LiveApp>();
        foreach (var app in await client.ListAppsAsync(cancellationToken))
        {
            var env = await client.GetEnvAsync(app.Name, cancellationToken);
            apps.Add(new LiveApp(
                app,
                env.Variables,
                await client.ListDomainsAsync(app.Name, cancellationToken),
                await client.ListDrainsAsync(app.Name, cancellationToken),
                [.. addons.Where(a => a.LinkedApps.Contains(app.Name)).Select(a => a.Name)])
            {
                Autoscale = await client.GetAutoscaleAsync(app.Name, cancellationToken),
            });
        }

        return new LiveInstall(apps, addons);
    }

    /// <summary>The manifest that describes this install (or one app and the add-ons it links). Secrets become references unless asked for.</summary>
    public ManifestConfig ToManifest(string? onlyApp, string? org, bool includeSecrets)
    {
        var apps = Apps.Where(a => onlyApp is null || a.App.Name == onlyApp).ToList();
        var addons = Addons.Where(a => onlyApp is null || a.LinkedApps.Contains(onlyApp)).ToList();
        return new ManifestConfig
        {
            Org = org,
            Addons = [.. addons.Select(a => new AddonManifest
            {
                Name = a.Name,
                Type = a.Type,
                Plan = a.Plan,
                Version = a.Version,
                // Defaults are left out, so files stay short and an older file round-trips unchanged.
                BackupSchedule = a.BackupSchedule is "" or Core.Addons.AddonBackupSchedule.DefaultText ? null : a.BackupSchedule,
                BackupRetention = a.BackupRetention is 0 or Core.Addons.AddonBackupSchedule.DefaultRetention ? null : a.BackupRetention,
            })],
            Apps = [.. apps.Select(a => new AppManifest
            {
                Name = a.App.Name,
                Runtime = a.App.Runtime,
                Flavor = a.App.Flavor,
                Instances = a.App.Instances,
                Variables = [.. a.Variables.Select(v => new KeyValuePair<string, VariableSpec>(
                    v.Key,
                    includeSecrets || !VariableRegistry.Default.IsSecret(v.Key) ? VariableSpec.Literal(v.Value) : VariableSpec.Secret(SecretName(a.App.Name, v.Key))))],
                Domains = [.. a.Domains.Select(d => d.Domain)],
                Drains = [.. a.Drains.Select((d, i) => new DrainManifest
                {
                    Type = d.Type,
                    Url = d.Url,
                    Username = d.Username,
                    Password = d.HasPassword ? VariableSpec.Secret(SecretName(a.App.Name, $"DRAIN_{i + 1}_PASSWORD")) : null,
                    Token = d.HasToken ? VariableSpec.Secret(SecretName(a.App.Name, $"DRAIN_{i + 1}_TOKEN")) : null,
                    SdParams = d.SdParams,
                    Enabled = d.Enabled,
                })],
                Addons = a.Addons,
                Autoscale = a.Autoscale is { Enabled: true } p ? ToManifest(p) : null,
            })],
        };
    }

    /// <summary>The server's policy as a manifest writes it (the same fields the API takes back).</summary>
    public static AutoscaleManifest ToManifest(AutoscaleDto policy) => new()
    {
        Policy = new AutoscaleRequest
        {
            MinInstances = policy.MinInstances,
            MaxInstances = policy.MaxInstances,
            MinFlavor = policy.MinFlavor,
            MaxFlavor = policy.MaxFlavor,
            TargetCpu = policy.TargetCpu,
            TargetRps = policy.TargetRps,
            TargetP99Ms = policy.TargetP99Ms,
        },
    };

    /// <summary>The environment variable a secret reference names by default: APP_NAME (web-api, API_KEY → WEB_API_API_KEY).</summary>
    public static string SecretName(string app, string variable) =>
        app.ToUpperInvariant().Replace('-', '_') + "_" + variable;
}

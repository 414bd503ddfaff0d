using Nuage.Core.Api;

namespace Nuage.Cli.Manifest;

/// <summary>A declared install (a <c>nuage.toml</c>): apps and add-ons of one organisation.</summary>
internal sealed record ManifestConfig
{
    public const int CurrentVersion = 1;

    public string? Org { get; init; }

    public IReadOnlyList<AddonManifest> Addons { get; init; } = [];

    public IReadOnlyList<AppManifest> Apps { get; init; } = [];

    /// <summary>Where each key was written ("apps.web.runtime" → 7:1), for errors found once the live state is known.</summary>
    public IReadOnlyDictionary<string, SourcePosition> Positions { get; init; } = new Dictionary<string, SourcePosition>();

    public SourcePosition PositionOf(string path) =>
        Positions.TryGetValue(path, out var position) ? position : new SourcePosition(1, 1);
}

internal sealed record AddonManifest
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public string? Plan { get; init; }

    public string? Version { get; init; }

    /// <summary>backup_schedule: daily@HH:MM, hourly, every Nh or off; omitted = left as it is (daily@03:00 for a new add-on).</summary>
    public string? BackupSchedule { get; init; }

    /// <summary>backup_retention: scheduled backups kept; omitted = left as it is (7 for a new add-on).</summary>
    public int? BackupRetention { get; init; }
}

internal sealed record AppManifest
{
    public required string Name { get; init; }

    public required string Runtime { get; init; }

    public string? Flavor { get; init; }

    public int? Instances { get; init; }

    /// <summary>In file order.</summary>
    public IReadOnlyList<KeyValuePair<string, VariableSpec>> Variables { get; init; } = [];

    public IReadOnlyList<string> Domains { get; init; } = [];

    public IReadOnlyList<DrainManifest> Drains { get; init; } = [];

    /// <summary>Names of add-ons (declared in the same file) linked to the app.</summary>
    public IReadOnlyList<string> Addons { get; init; } = [];

    /// <summary>The autoscaling policy (null: the file says nothing, the server's is left as it is).</summary>
    public AutoscaleManifest? Autoscale { get; init; }

    /// <summary>
    /// The keys the file writes (variables, domains, drains, addons). A key that is absent is left as it is on the
    /// server; a key that is present is authoritative (an empty list removes everything). Null: all of them.
    /// </summary>
    public IReadOnlySet<string>? Managed { get; init; }

    public bool Manages(string key) => Managed is null || Managed.Contains(key);
}

/// <summary><c>[apps.NAME.autoscale]</c>: an autoscaling policy (docs/autoscaling.md), or <c>enabled = false</c> for none.</summary>
internal sealed record AutoscaleManifest
{
    public bool Enabled { get; init; } = true;

    /// <summary>The policy as the API takes it (<c>PUT /v1/apps/{app}/autoscale</c>); empty when off.</summary>
    public AutoscaleRequest Policy { get; init; } = new();

    /// <summary>One line for plans: "1–4 instances, nano–M, cpu 60 %" or "off".</summary>
    public string Describe()
    {
        if (!Enabled)
        {
            return "off";
        }

        var parts = new List<string> { $"{Policy.MinInstances}–{Policy.MaxInstances} instances" };
        if (Policy.MinFlavor is not null)
        {
            parts.Add($"{Policy.MinFlavor}–{Policy.MaxFlavor}");
        }

        parts.AddRange(new[] { ("cpu", Policy.TargetCpu, " %"), ("rps", Policy.TargetRps, string.Empty), ("p99", Policy.TargetP99Ms, " ms") }
            .Where(t => t.Item2 is not null)
            .Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Item1} {t.Item2}{t.Item3}")));
        return string.Join(", ", parts);
    }
}

/// <summary>A value written in the file, or a reference to an environment variable of the process running apply.</summary>
internal sealed record VariableSpec(string? Value, string? SecretRef)
{
    public static VariableSpec Literal(string value) => new(value, null);

    public static VariableSpec Secret(string reference) => new(null, reference);
}

internal sealed record DrainManifest
{
    public required string Type { get; init; }

    public required string Url { get; init; }

    public string? Username { get; init; }

    public VariableSpec? Password { get; init; }

    public VariableSpec? Token { get; init; }

    public string? SdParams { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>What identifies a drain between the file and the server (credentials are never read back).</summary>
    public string Identity => $"{Type} {Url}{(Username is null ? string.Empty : " as " + Username)}";
}

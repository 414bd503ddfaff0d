namespace Nuage.Core.Apps;

/// <summary>An app as declared by its users: what should run.</summary>
public sealed record AppConfig
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Runtime { get; init; }

    public required string Flavor { get; init; }

    public required int Instances { get; init; }

    /// <summary>Whether the app should be serving (false after <c>nuage stop</c>).</summary>
    public bool Running { get; init; } = true;

    /// <summary>The deployment whose release should serve, or null before the first successful deploy.</summary>
    public string? CurrentDeploymentId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Index of the app's own unprivileged uid (assigned once at creation, never reused while the app exists).</summary>
    public int UidIndex { get; init; }

    /// <summary>The organisation that owns the app.</summary>
    public string OrgId { get; init; } = Orgs.OrgNames.DefaultId;
}

namespace Nuage.Core.Sandboxing;

/// <summary>Where one build (or run-time hook) of an app runs.</summary>
public sealed record BuildSandboxSpec
{
    /// <summary>The app's id: its steps' cgroups live under the app's group.</summary>
    public required string AppId { get; init; }

    /// <summary>Unique among the app's running builds (e.g. the deployment id, plus the hook's name); names the cgroups.</summary>
    public required string Name { get; init; }

    /// <summary>The app's uid (<c>AppUserIds.ForIndex</c>) when <c>IInstanceScheduler.RequiresUid</c>; null runs as the server's uid.</summary>
    public int? Uid { get; init; }

    /// <summary>The release directory (read-write during the build, read-only for run-time hooks).</summary>
    public required string ReleaseDirectory { get; init; }

    public bool ReleaseWritable { get; init; } = true;

    /// <summary>Other folders of the app the steps write to (its dependency cache; its data dir for hooks).</summary>
    public IReadOnlyList<string> WritableDirectories { get; init; } = [];
}

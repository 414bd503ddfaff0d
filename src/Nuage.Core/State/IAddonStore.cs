namespace Nuage.Core.State;

/// <summary>Add-ons (managed databases), their links to apps and their backups. Credentials are stored sealed.</summary>
public interface IAddonStore
{
    /// <summary>Adds the add-on with the next free uid index; false, changing nothing, when the name is taken.</summary>
    Task<bool> TryCreateAsync(AddonRecord addon, CancellationToken cancellationToken);

    Task<AddonRecord?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every add-on, by name.</summary>
    Task<IReadOnlyList<AddonRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the mutable parts: sealed password, sealed instance spec, instance state, last error.</summary>
    Task UpdateAsync(AddonRecord addon, CancellationToken cancellationToken);

    /// <summary>Saves the server instance's last state (JSON) and last error, touching nothing else.</summary>
    Task SaveStateAsync(string id, string? state, string? lastError, CancellationToken cancellationToken);

    /// <summary>Deletes the add-on with its links and backup records.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Links an app; false when it already was.</summary>
    Task<bool> LinkAsync(string addonId, string appId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> UnlinkAsync(string addonId, string appId, CancellationToken cancellationToken);

    /// <summary>Links of one add-on, of one app, or every link (both null).</summary>
    Task<IReadOnlyList<AddonLinkRecord>> ListLinksAsync(string? addonId, string? appId, CancellationToken cancellationToken);

    Task SaveBackupAsync(AddonBackupRecord backup, CancellationToken cancellationToken);

    /// <summary>Backups of one add-on, newest first.</summary>
    Task<IReadOnlyList<AddonBackupRecord>> ListBackupsAsync(string addonId, CancellationToken cancellationToken);

    Task<bool> DeleteBackupAsync(string addonId, string backupId, CancellationToken cancellationToken);

    /// <summary>Sets the backup schedule (canonical text) and retention, and forgets the schedule's run state so the next run is recomputed.</summary>
    Task SaveBackupPolicyAsync(string addonId, string schedule, int retention, CancellationToken cancellationToken);

    /// <summary>The schedule's state for one add-on; null before its first scheduled run is planned.</summary>
    Task<AddonBackupRunRecord?> FindBackupRunAsync(string addonId, CancellationToken cancellationToken);

    /// <summary>Saves the schedule's state (ignored when the add-on was deleted meanwhile).</summary>
    Task SaveBackupRunAsync(AddonBackupRunRecord run, CancellationToken cancellationToken);
}

/// <summary>One add-on as stored. <see cref="SealedPassword"/> and <see cref="SealedSpec"/> are sealed with the server key.</summary>
public sealed record AddonRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Version { get; init; }

    public required string Plan { get; init; }

    /// <summary>Set by the store on creation (the add-on's uid derives from it); ignored on insert.</summary>
    public int UidIndex { get; init; }

    public required string Username { get; init; }

    public required string Database { get; init; }

    public required byte[] SealedPassword { get; init; }

    /// <summary>The add-on server's instance spec, sealed (it carries the password in its environment); null before the first start.</summary>
    public byte[]? SealedSpec { get; init; }

    /// <summary>The instance's last state (JSON), to re-adopt it after a server restart.</summary>
    public string? State { get; init; }

    public string? LastError { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The organisation that owns the add-on; only its apps may link to it.</summary>
    public string OrgId { get; init; } = Orgs.OrgNames.DefaultId;

    /// <summary>When the server backs it up by itself (canonical <see cref="Addons.AddonBackupSchedule"/> text).</summary>
    public string BackupSchedule { get; init; } = Addons.AddonBackupSchedule.DefaultText;

    /// <summary>How many scheduled backups are kept (older ones are deleted; manual and pre-import backups are never pruned).</summary>
    public int BackupRetention { get; init; } = Addons.AddonBackupSchedule.DefaultRetention;

    /// <summary>Host of an external server (<c>--external</c>); null for a server Nuage runs.</summary>
    public string? ExternalHost { get; init; }

    /// <summary>Port of an external server; null for a server Nuage runs.</summary>
    public int? ExternalPort { get; init; }

    public bool IsExternal => ExternalHost is not null;
}

public sealed record AddonLinkRecord(string AddonId, string AppId, DateTimeOffset CreatedAt);

/// <summary>One backup file of an add-on, with the SHA-256 of its bytes checked before any restore.</summary>
public sealed record AddonBackupRecord(string Id, string AddonId, string File, long SizeBytes, string Sha256, DateTimeOffset CreatedAt)
{
    /// <summary>Taken by the schedule (pruned by the retention), not on demand.</summary>
    public bool Scheduled { get; init; }
}

/// <summary>
/// The backup schedule's state for one add-on: when it runs next, its last success, and its last failure with the
/// error and how many failed in a row (retries back off).
/// </summary>
public sealed record AddonBackupRunRecord(string AddonId, DateTimeOffset NextAt)
{
    public DateTimeOffset? LastSuccessAt { get; init; }

    public DateTimeOffset? LastFailureAt { get; init; }

    public string? LastError { get; init; }

    public int Failures { get; init; }
}

namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/addons</c>.</summary>
public sealed record CreateAddonRequest
{
    public string? Name { get; init; }

    /// <summary>postgresql, mysql or redis.</summary>
    public string? Type { get; init; }

    /// <summary>A plan name (<c>GET /v1/addons/plans</c>); the smallest when omitted.</summary>
    public string? Plan { get; init; }

    /// <summary>A version the type offers; its default when omitted.</summary>
    public string? Version { get; init; }

    /// <summary>daily@HH:MM (UTC), daily, hourly, every Nh or off; daily@03:00 when omitted.</summary>
    public string? BackupSchedule { get; init; }

    /// <summary>
    /// The URL of an existing server to register instead of starting one (postgres://USER:PASSWORD@HOST:5432/DB,
    /// mysql://…, redis://:PASSWORD@HOST:6379/0). Its credentials are stored sealed and never returned by status.
    /// </summary>
    public string? External { get; init; }

    /// <summary>Scheduled backups kept (1-365); 7 when omitted.</summary>
    public int? BackupRetention { get; init; }
}

/// <summary>Body of <c>PUT /v1/addons/{addon}/backup-policy</c>: what is omitted keeps its current value.</summary>
public sealed record AddonBackupPolicyRequest
{
    public string? BackupSchedule { get; init; }

    public int? BackupRetention { get; init; }
}

/// <summary>Body of <c>POST /v1/addons/{addon}/links</c>.</summary>
public sealed record LinkAddonRequest
{
    public string? App { get; init; }

    /// <summary>
    /// True: restart the app now through the health-gated path (a deployment of its current release; the answer comes
    /// once it ends) so its running instances get the variables. Otherwise they get them on its next deploy or restart.
    /// </summary>
    public bool? Restart { get; init; }
}

/// <summary>
/// What a link did to the app: whether it runs, whether it was restarted with the variables, whether running instances
/// still lack them (<paramref name="Pending"/>: they get them on the next deploy or restart), and a sentence saying so.
/// </summary>
public sealed record AddonLinkDto(string App, bool Running, bool Restarted, bool Pending, string Message);

/// <summary>One add-on: what it is, where linked apps reach it, whether its server runs and which apps it is linked to.</summary>
public sealed record AddonDto(
    string Name,
    string Type,
    string Version,
    string Plan,
    string Status,
    string Host,
    int Port,
    IReadOnlyList<string> LinkedApps,
    DateTimeOffset CreatedAt)
{
    /// <summary>Only in the answer to a link: whether the app's running instances have the variables (restarted) or get them later.</summary>
    public AddonLinkDto? Link { get; init; }

    /// <summary>The server's last error lines when it failed or keeps restarting.</summary>
    public string? LastError { get; init; }

    /// <summary>Size of the add-on's data folder at the last check (null before the first one).</summary>
    public long? DiskBytes { get; init; }

    /// <summary>The plan's disk quota (a soft quota, checked periodically).</summary>
    public long? DiskQuotaBytes { get; init; }

    /// <summary>Client connections open on the server at the last check (null when it could not be asked).</summary>
    public int? Connections { get; init; }

    /// <summary>When the last size and connection check ran.</summary>
    public DateTimeOffset? CheckedAt { get; init; }

    public int Restarts { get; init; }

    /// <summary>Process id of the supervised server (its sandbox wrapper); 0 when not running.</summary>
    public int Pid { get; init; }

    public long? MemoryBytes { get; init; }

    /// <summary>When the server backs it up by itself (daily@HH:MM UTC, every Nh, off).</summary>
    public string BackupSchedule { get; init; } = string.Empty;

    /// <summary>Scheduled backups kept.</summary>
    public int BackupRetention { get; init; }

    /// <summary>True for a server registered with <c>--external</c>: Nuage links it but neither runs nor backs it up.</summary>
    public bool External { get; init; }

    /// <summary>For an external add-on: whether it answered a short connection check when this status was read.</summary>
    public bool? Answers { get; init; }

    /// <summary>When the next scheduled backup (or the retry of a failed one) runs; null when the schedule is off.</summary>
    public DateTimeOffset? NextBackupAt { get; init; }

    /// <summary>The last scheduled backup's error, while it keeps failing (cleared by a success).</summary>
    public string? LastBackupError { get; init; }

    /// <summary>Scheduled backups that failed in a row.</summary>
    public int BackupFailures { get; init; }
}

/// <summary>The variables a linked app gets (also what <c>nuage addon credentials</c> shows).</summary>
public sealed record AddonCredentialsDto(string Addon, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>After a rotation: the linked apps restarted (health-gated) with the new variables.</summary>
    public IReadOnlyList<string>? RestartedApps { get; init; }

    /// <summary>After a rotation: whether the old credential was revoked (false while a linked app's restart failed: it keeps working for it).</summary>
    public bool? OldCredentialRevoked { get; init; }

    /// <summary>After a rotation that could not revoke the old credential: why, naming the app.</summary>
    public string? Warning { get; init; }
}

/// <summary>What <c>DELETE /v1/addons/{addon}</c> removed: the add-on and the links it had.</summary>
public sealed record DeletedAddonDto(string Name, IReadOnlyList<string> UnlinkedApps)
{
    /// <summary>The newest backup, kept on the server's disk after the deletion (null with purge, or when there was none).</summary>
    public string? KeptBackup { get; init; }

    /// <summary>SHA-256 of <see cref="KeptBackup"/>.</summary>
    public string? KeptBackupSha256 { get; init; }

    /// <summary>When the kept backup is deleted.</summary>
    public DateTimeOffset? KeptUntil { get; init; }
}

/// <summary>A variable an app gets from a linked add-on (read-only in <c>nuage env</c>).</summary>
public sealed record LinkedVariableDto(string Name, string Value, string Addon);

/// <summary>A plan as <c>nuage addon plans</c> lists it.</summary>
public sealed record AddonPlanDto(string Name, int MemoryMiB, int MilliCpu, int DiskMiB, int MaxConnections);

/// <summary>A type as <c>nuage addon plans</c> lists it, with its versions and Debian package.</summary>
public sealed record AddonTypeDto(string Name, IReadOnlyList<string> Versions, string Package, bool Installed);

/// <summary>Body of <c>GET /v1/addons/plans</c>.</summary>
public sealed record AddonCatalogDto(IReadOnlyList<AddonTypeDto> Types, IReadOnlyList<AddonPlanDto> Plans);

/// <summary>One backup of an add-on: its id, size, SHA-256 (checked before any restore) and when it was taken.</summary>
public sealed record AddonBackupDto(string Id, long SizeBytes, string Sha256, DateTimeOffset CreatedAt)
{
    /// <summary>Taken by the schedule (and pruned by the retention) rather than on demand or before an import.</summary>
    public bool Scheduled { get; init; }
}

/// <summary>Body of <c>POST /v1/addons/{addon}/backups/{backup}/restore</c>: restore into a new add-on of that name instead of the same one.</summary>
public sealed record RestoreAddonRequest
{
    public string? Into { get; init; }
}

/// <summary>Body of <c>POST /v1/addons/{addon}/import</c>: the live source database to copy into the add-on.</summary>
public sealed record ImportAddonRequest
{
    /// <summary>postgres://USER:PASSWORD@HOST:PORT/DB, mysql://…, or redis://:PASSWORD@HOST:PORT/N.</summary>
    public string? From { get; init; }
}

/// <summary>One table (or, for Redis, the key set) an import copied: rows counted in the source before and in the add-on after.</summary>
public sealed record AddonImportTableDto(string Name, long SourceRows, long ImportedRows);

/// <summary>
/// What <c>nuage addon import</c> did: the source (password hidden), the backup taken before anything changed (restore it
/// to undo the import), and every table with its verified row count (Redis: one "keys" line).
/// </summary>
public sealed record AddonImportDto(string Addon, string Source, string SafetyBackup, IReadOnlyList<AddonImportTableDto> Tables)
{
    public long TotalRows => Tables.Sum(t => t.ImportedRows);
}

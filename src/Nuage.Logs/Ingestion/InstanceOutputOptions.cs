namespace Nuage.Logs.Ingestion;

/// <summary>How instance output files are reclaimed once stored. Every default lives here.</summary>
public sealed record InstanceOutputOptions
{
    /// <summary>
    /// The one directory an app's output files may be in for the tailer to punch or remove them
    /// (NuagePaths.InstanceLogs). Null: files are only read, never changed (tests tailing arbitrary files).
    /// </summary>
    public Func<string, string>? AppDirectory { get; init; }

    /// <summary>Stored bytes a file accumulates before its prefix is punched out. Default 1 MiB.</summary>
    public long CompactBytes { get; init; } = 1 << 20;
}

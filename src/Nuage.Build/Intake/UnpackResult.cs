namespace Nuage.Build.Intake;

/// <summary>What an accepted upload contained once extracted into its release directory.</summary>
/// <param name="ReleaseDirectory">The release directory, now in place.</param>
/// <param name="UploadBytes">Bytes received (compressed size when gzip).</param>
/// <param name="ExpandedBytes">Total size of the extracted files.</param>
/// <param name="Entries">Files, directories and links extracted.</param>
/// <param name="Gzip">Whether the upload was gzip-compressed.</param>
/// <param name="CommitId">The commit id <c>git archive</c> records in the pax global header, when present.</param>
public sealed record UnpackResult(
    string ReleaseDirectory,
    long UploadBytes,
    long ExpandedBytes,
    int Entries,
    bool Gzip,
    string? CommitId);

namespace Nuage.Logs.Ingestion;

/// <summary>
/// Lets a tailer free the disk space of lines already stored: punch the ingested prefix once it passes
/// <paramref name="CompactBytes"/>, and remove the file of a stopped instance once all of it is stored.
/// </summary>
internal sealed record OutputReclaim(long CompactBytes);

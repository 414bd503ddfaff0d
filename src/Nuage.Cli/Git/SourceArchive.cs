using System.Formats.Tar;
using System.IO.Compression;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Git;

/// <summary>
/// Writes an <see cref="ArchivePlan"/> as one tar stream: each part is a <c>git archive</c> read entry by entry from
/// git's stdout and re-written, so submodule files land under their path. Only one file at a time is held
/// (in memory when small, else in a temporary file), never the whole archive.
/// </summary>
internal static class SourceArchive
{
    public const long InMemoryEntryBytes = 8 * 1024 * 1024;

    public static async Task WriteTarAsync(ArchivePlan plan, Stream output, CancellationToken cancellationToken)
    {
        var directories = new HashSet<string>(StringComparer.Ordinal);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var part in plan.Parts)
        {
            await WritePartAsync(part, writer, directories, cancellationToken);
        }
    }

    /// <summary>The tar, gzip-compressed (fastest level: the upload, not the CPU, is the bottleneck).</summary>
    public static async Task WriteGzipAsync(ArchivePlan plan, Stream output, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await WriteTarAsync(plan, gzip, cancellationToken);
    }

    /// <summary>
    /// TarWriter needs a seekable data stream to write into a network stream; git's pipe is not one,
    /// so the entry's content is copied first. Returns the copy (to dispose once written), or null for entries without data.
    /// </summary>
    private static async Task<Stream?> SeekableCopyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.DataStream is not { } source)
        {
            return null;
        }

        Stream copy = entry.Length <= InMemoryEntryBytes
            ? new MemoryStream((int)entry.Length)
            : new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await source.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        entry.DataStream = copy;
        return copy;
    }

    private static async Task WritePartAsync(ArchivePart part, TarWriter writer, HashSet<string> directories, CancellationToken cancellationToken)
    {
        string[] args = [.. part.Repository.Git("archive", "--format=tar"), .. part.Prefix.Length > 0 ? new[] { "--prefix=" + part.Prefix } : [], part.Commit];
        using var git = GitProcess.Start(part.Repository.GitDir, args);
        var stderr = git.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await using var reader = new TarReader(git.StandardOutput.BaseStream, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                // git's pax global header carries the commit id (as a comment): keep the deployed commit's, not the submodules'.
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes && part.Prefix.Length > 0)
                {
                    continue;
                }

                // A submodule appears as an empty directory in its superproject and again as its archive's root.
                if (entry.EntryType == TarEntryType.Directory && !directories.Add(entry.Name))
                {
                    continue;
                }

                await using var data = await SeekableCopyAsync(entry, cancellationToken);
                await writer.WriteEntryAsync(entry, cancellationToken);
            }
        }
        finally
        {
            if (!git.HasExited)
            {
                await git.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
            }

            await git.WaitForExitAsync(cancellationToken);
        }

        if (git.ExitCode != 0)
        {
            throw new CliException(ExitCodes.Failed, $"git archive of {part.Commit[..7]}{(part.Prefix.Length > 0 ? $" ({part.Prefix.TrimEnd('/')})" : "")} failed: {(await stderr).Trim()}");
        }
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;

namespace Nuage.Build.Intake;

/// <summary>
/// Extracts an uploaded tar (optionally gzip-compressed) into a fresh release directory, refusing anything that
/// could write outside it. Extraction happens in a hidden sibling directory that is renamed into place only when
/// every entry was accepted; a rejected upload leaves nothing behind.
/// </summary>
public sealed class ReleaseUnpacker
{
    public const string InvalidArchiveCode = ErrorCodes.InvalidArchive;
    public const string ArchiveTooLargeCode = ErrorCodes.ArchiveTooLarge;
    public const string UnpackFailedCode = ErrorCodes.UnpackFailed;

    private readonly BuildOptions _options;
    private readonly ILogger<ReleaseUnpacker> _logger;

    public ReleaseUnpacker(BuildOptions options, ILogger<ReleaseUnpacker> logger)
    {
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidBuildOptions, options.Validate());
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Reads <paramref name="upload"/> to its end and extracts it into <paramref name="releaseDirectory"/>,
    /// which must not exist yet. Throws <see cref="NuageException"/> with code <c>invalid_archive</c> (kind Invalid)
    /// or <c>archive_too_large</c> (kind TooLarge) naming the offending entry.
    /// </summary>
    public async Task<UnpackResult> UnpackAsync(Stream upload, string releaseDirectory, CancellationToken cancellationToken)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(releaseDirectory));
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw NuageException.Conflict(ErrorCodes.ReleaseExists, $"release directory '{target}' already exists; every deployment needs a fresh one");
        }

        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("release directory has no parent", nameof(releaseDirectory));
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.unpack-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var result = await ExtractAsync(upload, temp, cancellationToken);
            Directory.Move(temp, target);
            _logger.ReleaseUnpacked(target, result.Entries, result.ExpandedBytes);
            return result with { ReleaseDirectory = target };
        }
        catch (NuageException e)
        {
            _logger.UploadRejected(target, e.Code, e.Message);
            DeleteQuietly(temp);
            throw;
        }
        catch (IOException e)
        {
            // Never the server's paths in a reason users read: name what failed relative to the release.
            DeleteQuietly(temp);
            var reason = e.Message.Replace(temp + "/", "", StringComparison.Ordinal).Replace(temp, "(release)", StringComparison.Ordinal);
            _logger.UploadRejected(target, UnpackFailedCode, e.Message);
            throw new NuageException(ErrorKind.Failed, UnpackFailedCode, $"the upload could not be unpacked: {reason}");
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private async Task<UnpackResult> ExtractAsync(Stream upload, string root, CancellationToken cancellationToken)
    {
        var magic = new byte[2];
        var got = 0;
        while (got < magic.Length)
        {
            var n = await upload.ReadAsync(magic.AsMemory(got), cancellationToken);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        var raw = new CappedReadStream(upload, _options.MaxUploadBytes, UploadTooLarge, magic[..got]);
        var gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream tarStream = raw;
        GZipStream? gunzip = null;
        if (gzip)
        {
            gunzip = new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true);

            // Headers and padding take at most a few KiB per entry on top of the file data.
            var decompressedLimit = _options.MaxExpandedBytes + ((_options.MaxFiles + 16L) * 4096);
            tarStream = new CappedReadStream(gunzip, decompressedLimit, ExpandedTooLarge);
        }

        try
        {
            var extraction = new TarExtraction(root, _options);
            await using var reader = new TarReader(tarStream, leaveOpen: true);
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
                {
                    throw TarExtraction.Reject(extraction.LastEntryName ?? "(start of upload)", $"not a valid tar{(gzip ? ".gz" : string.Empty)} archive: {e.Message}");
                }

                if (entry is null)
                {
                    break;
                }

                await extraction.AddAsync(entry, cancellationToken);
            }

            // Drain trailing bytes so the upload cap also covers them.
            await tarStream.CopyToAsync(Stream.Null, cancellationToken);
            extraction.CheckLinks();
            return new UnpackResult(root, raw.BytesRead, extraction.ExpandedBytes, extraction.Entries, gzip, extraction.CommitId);
        }
        finally
        {
            if (gunzip is not null)
            {
                await gunzip.DisposeAsync();
            }
        }
    }

    private NuageException UploadTooLarge(long read) =>
        new(ErrorKind.TooLarge, ArchiveTooLargeCode, $"upload is larger than the {_options.MaxUploadBytes} byte limit ({BuildOptions.MaxUploadBytesFlag})",
            [new FieldError("archive", null, $"more than {_options.MaxUploadBytes} bytes received ({read} so far)")]);

    private NuageException ExpandedTooLarge(long read) =>
        new(ErrorKind.TooLarge, ArchiveTooLargeCode, $"upload expands beyond the {_options.MaxExpandedBytes} byte limit ({BuildOptions.MaxExpandedBytesFlag})",
            [new FieldError("archive", null, $"more than {read} bytes after decompression")]);

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden temp directory is harmless and never becomes a release.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

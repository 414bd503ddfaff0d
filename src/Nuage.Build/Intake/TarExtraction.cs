using System.Formats.Tar;
using Nuage.Core.Errors;

namespace Nuage.Build.Intake;

/// <summary>
/// The state of one extraction into a fresh directory: which paths are files, directories and links, and the
/// running counts checked against the caps. Every path is validated before anything is written.
/// </summary>
internal sealed class TarExtraction
{
    private const int MaxLinkExpansions = 40;
    private const UnixFileMode PermissionBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _root;
    private readonly BuildOptions _options;
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _linkEntryNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    public TarExtraction(string root, BuildOptions options)
    {
        _root = root;
        _options = options;
    }

    public int Entries { get; private set; }

    public long ExpandedBytes { get; private set; }

    public string? CommitId { get; private set; }

    public string? LastEntryName { get; private set; }

    /// <summary>Longest path inside a release (bytes): leaves room for the data directory under Linux's 4096.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>Longest file or folder name (bytes), as Linux file systems allow.</summary>
    public const int MaxNameBytes = 255;

    public static NuageException Reject(string entryName, string message) =>
        NuageException.Invalid(ReleaseUnpacker.InvalidArchiveCode, [new FieldError("archive", entryName, $"entry '{entryName}': {message}")]);

    private static NuageException TooLarge(string entryName, string message) =>
        new(ErrorKind.TooLarge, ReleaseUnpacker.ArchiveTooLargeCode, $"entry '{entryName}': {message}",
            [new FieldError("archive", entryName, message)]);

    public async Task AddAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        LastEntryName = entry.Name;
        if (entry is PaxGlobalExtendedAttributesTarEntry global)
        {
            // git archive stores the commit id as the "comment" of a global header.
            if (global.GlobalExtendedAttributes.TryGetValue("comment", out var comment) && !string.IsNullOrWhiteSpace(comment))
            {
                CommitId = comment.Trim();
            }

            return;
        }

        if (++Entries > _options.MaxFiles)
        {
            throw TooLarge(entry.Name, $"the upload has more than {_options.MaxFiles} entries ({BuildOptions.MaxFilesFlag})");
        }

        var relative = NormalizeName(entry.Name, entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (relative is not null)
                {
                    CheckParents(entry.Name, relative, includeSelf: true);
                    CreateDirectory(relative, entry.Mode);
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(entry, RequireName(entry, relative), cancellationToken);
                break;
            case TarEntryType.SymbolicLink:
                AddSymbolicLink(entry, RequireName(entry, relative));
                break;
            case TarEntryType.HardLink:
                AddHardLink(entry, RequireName(entry, relative));
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                throw Reject(entry.Name, $"{entry.EntryType} entries are not allowed (only files, directories and links)");
            default:
                throw Reject(entry.Name, $"unsupported entry type {entry.EntryType} (only files, directories and links)");
        }
    }

    /// <summary>After the last entry: every symbolic link, followed through the others, must stay inside the release.</summary>
    public void CheckLinks()
    {
        foreach (var (path, target) in _links)
        {
            var parent = path.Split('/')[..^1];
            if (!ResolvesInside(parent, target))
            {
                var name = _linkEntryNames[path];
                throw Reject(name, $"symbolic link to '{target}' resolves outside the release");
            }
        }
    }

    private static string RequireName(TarEntry entry, string? relative) =>
        relative ?? throw Reject(entry.Name, "a non-directory entry cannot name the archive root");

    /// <summary>Relative path with '/' separators, or null for the root itself.</summary>
    private static string? NormalizeName(string name, string entryName)
    {
        if (name.Length == 0)
        {
            throw Reject(entryName, "empty path");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Reject(entryName, "path contains a NUL character");
        }

        if (name.StartsWith('/'))
        {
            throw Reject(entryName, "absolute paths are not allowed");
        }

        // Refused here, with the entry's own name, rather than failing later with the server's path in the message.
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxPathBytes)
        {
            throw Reject(entryName, $"path is longer than {MaxPathBytes} bytes");
        }

        if (name.Split('/').FirstOrDefault(p => System.Text.Encoding.UTF8.GetByteCount(p) > MaxNameBytes) is { } tooLong)
        {
            throw Reject(entryName, $"the name '{tooLong[..40]}…' is longer than {MaxNameBytes} bytes (the file system limit)");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw Reject(entryName, "'..' path components are not allowed");
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>No component on the way to <paramref name="relative"/> may be a link or a file created earlier.</summary>
    private void CheckParents(string entryName, string relative, bool includeSelf)
    {
        var parts = relative.Split('/');
        var count = includeSelf ? parts.Length : parts.Length - 1;
        for (var i = 1; i <= count; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            if (_links.ContainsKey(prefix))
            {
                throw Reject(entryName, $"writes through the symbolic link '{prefix}'");
            }

            if (_files.Contains(prefix))
            {
                throw Reject(entryName, $"uses the file '{prefix}' as a directory");
            }
        }
    }

    private void CreateDirectory(string relative, UnixFileMode mode)
    {
        var parts = relative.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            if (_directories.Add(prefix))
            {
                Directory.CreateDirectory(Full(prefix));
            }
        }

        SetMode(Full(relative), (mode & PermissionBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void EnsureParent(string entryName, string relative)
    {
        CheckParents(entryName, relative, includeSelf: false);
        if (_links.ContainsKey(relative))
        {
            throw Reject(entryName, "replaces a symbolic link of the same archive");
        }

        if (_directories.Contains(relative))
        {
            throw Reject(entryName, "replaces a directory of the same archive");
        }

        var slash = relative.LastIndexOf('/');
        if (slash > 0)
        {
            var parent = relative[..slash];
            var parts = parent.Split('/');
            for (var i = 1; i <= parts.Length; i++)
            {
                var prefix = string.Join('/', parts[..i]);
                if (_directories.Add(prefix))
                {
                    Directory.CreateDirectory(Full(prefix));
                }
            }
        }
    }

    private async Task WriteFileAsync(TarEntry entry, string relative, CancellationToken cancellationToken)
    {
        EnsureParent(entry.Name, relative);
        ExpandedBytes += entry.Length;
        if (ExpandedBytes > _options.MaxExpandedBytes)
        {
            throw TooLarge(entry.Name, $"the upload expands beyond {_options.MaxExpandedBytes} bytes ({BuildOptions.MaxExpandedBytesFlag})");
        }

        var path = Full(relative);
        await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(output, cancellationToken);
            }
        }

        SetMode(path, (entry.Mode & PermissionBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _files.Add(relative);
    }

    private void AddSymbolicLink(TarEntry entry, string relative)
    {
        var target = entry.LinkName;
        if (string.IsNullOrEmpty(target) || target.Contains('\0', StringComparison.Ordinal))
        {
            throw Reject(entry.Name, "symbolic link without a valid target");
        }

        if (target.StartsWith('/'))
        {
            throw Reject(entry.Name, $"symbolic link to the absolute path '{target}' is not allowed");
        }

        EnsureParent(entry.Name, relative);
        if (_files.Contains(relative))
        {
            throw Reject(entry.Name, "replaces a file of the same archive with a symbolic link");
        }

        // Early check ignoring other links; CheckLinks repeats it through every link once all are known.
        if (!ResolvesInside(relative.Split('/')[..^1], target, followLinks: false))
        {
            throw Reject(entry.Name, $"symbolic link to '{target}' points outside the release");
        }

        File.CreateSymbolicLink(Full(relative), target);
        _links[relative] = target;
        _linkEntryNames[relative] = entry.Name;
    }

    private void AddHardLink(TarEntry entry, string relative)
    {
        var target = NormalizeName(entry.LinkName, entry.Name)
            ?? throw Reject(entry.Name, "hard link without a target");
        if (!_files.Contains(target))
        {
            throw Reject(entry.Name, $"hard link to '{entry.LinkName}', which is not a file extracted earlier from this upload");
        }

        EnsureParent(entry.Name, relative);
        var size = new FileInfo(Full(target)).Length;
        ExpandedBytes += size;
        if (ExpandedBytes > _options.MaxExpandedBytes)
        {
            throw TooLarge(entry.Name, $"the upload expands beyond {_options.MaxExpandedBytes} bytes ({BuildOptions.MaxExpandedBytesFlag})");
        }

        // A copy, not a link: releases hold no shared inodes.
        File.Copy(Full(target), Full(relative), overwrite: true);
        _files.Add(relative);
    }

    private bool ResolvesInside(string[] start, string target, bool followLinks = true)
    {
        var stack = new List<string>(start);
        var pending = new LinkedList<string>(target.Split('/'));
        var expansions = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var part = node.Value;
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (stack.Count == 0)
                {
                    return false;
                }

                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            stack.Add(part);
            if (followLinks && _links.TryGetValue(string.Join('/', stack), out var next))
            {
                if (++expansions > MaxLinkExpansions)
                {
                    return false;
                }

                stack.RemoveAt(stack.Count - 1);
                var parts = next.Split('/');
                for (var i = parts.Length - 1; i >= 0; i--)
                {
                    pending.AddFirst(parts[i]);
                }
            }
        }

        return true;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        // Nuage runs on Linux; the guard keeps the platform analyzer satisfied.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private string Full(string relative) => Path.Combine(_root, relative);
}

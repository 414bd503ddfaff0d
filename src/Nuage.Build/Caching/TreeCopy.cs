using Nuage.Core.FileSystem;

namespace Nuage.Build.Caching;

/// <summary>
/// Recursive copy between two <see cref="BeneathDirectory"/> trees that keeps symbolic links as links (never
/// follows them), keeps permission bits (never setuid/setgid) and owns what it creates (the copier's uid).
/// </summary>
internal static class TreeCopy
{
    /// <summary>Deeper trees are refused rather than walked (node_modules nests far less).</summary>
    public const int MaxDepth = 128;

    public static void Copy(BeneathDirectory source, BeneathDirectory target, CancellationToken cancellationToken) =>
        Copy(source, target, 0, cancellationToken);

    private static void Copy(BeneathDirectory source, BeneathDirectory target, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new UnsafeTreeException($"{source.Name} nests more than {MaxDepth} folders deep.");
        }

        foreach (var entry in source.Entries())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.LinkTarget is { } link)
            {
                target.CreateSymbolicLink(entry.Name, link);
            }
            else if (entry is DirectoryInfo)
            {
                using var from = source.OpenDirectory(entry.Name);
                if (from is not null)
                {
                    using var to = target.CreateDirectory(entry.Name, entry.UnixFileMode);
                    Copy(from, to, depth + 1, cancellationToken);
                }
            }
            else
            {
                // Opened O_NOFOLLOW|O_NONBLOCK: a link swapped in meanwhile fails, a FIFO reads as empty.
                using var from = source.OpenRead(entry.Name);
                using var to = target.CreateFile(entry.Name, entry.UnixFileMode);
                from.CopyTo(to);
            }
        }
    }
}

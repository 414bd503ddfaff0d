namespace Nuage.Build.Caching;

/// <summary>Recursive copy that keeps symbolic links as links and file modes as they are.</summary>
internal static class TreeCopy
{
    public static void Copy(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var pending = new Stack<(string From, string To)>();
        pending.Push((source, target));
        while (pending.TryPop(out var pair))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in new DirectoryInfo(pair.From).EnumerateFileSystemInfos())
            {
                var destination = Path.Combine(pair.To, entry.Name);
                if (entry.LinkTarget is { } link)
                {
                    File.CreateSymbolicLink(destination, link);
                }
                else if (entry is DirectoryInfo)
                {
                    Directory.CreateDirectory(destination);
                    pending.Push((entry.FullName, destination));
                }
                else
                {
                    File.Copy(entry.FullName, destination, overwrite: false);
                }
            }
        }
    }
}

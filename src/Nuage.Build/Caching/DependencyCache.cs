using System.Text;
using Microsoft.Extensions.Logging;
using Nuage.Build.Planning;
using Nuage.Build.Steps;

namespace Nuage.Build.Caching;

/// <summary>
/// Keeps an app's installed dependencies between deployments under <c>apps/&lt;app&gt;/cache/</c>, one entry per
/// runtime named <c>&lt;runtime&gt;-&lt;key&gt;</c>. Folders that live in the release (node_modules, .venv, vendor) are
/// copied in and out, so every release stays complete and independent of the cache; tool caches (Go, NuGet) are
/// used in place. Only the newest entry per runtime is kept. One build per app at a time.
/// </summary>
public sealed class DependencyCache
{
    private const string CompleteMarker = ".complete";
    private const string OriginFile = ".origin";
    private const string ReleaseFolder = "release";
    private const string ToolsFolder = "tools";
    private const long MaxRelocatedFileBytes = 1024 * 1024;

    private readonly ILogger<DependencyCache> _logger;

    public DependencyCache(ILogger<DependencyCache> logger)
    {
        _logger = logger;
    }

    /// <summary>
    /// Before the install: copies cached release folders into <paramref name="appRoot"/> on a hit and returns the outcome.
    /// </summary>
    public async Task<CacheOutcome> RestoreAsync(CachePlan plan, string appRoot, string cacheRoot, CancellationToken cancellationToken)
    {
        var entry = EntryPath(plan, cacheRoot);
        if (plan.ReleaseDirectories.Any(d => Path.Exists(Path.Combine(appRoot, d))))
        {
            _logger.CacheLookup("bypassed", plan.Runtime, plan.Key);
            return CacheOutcome.Bypassed;
        }

        var hit = File.Exists(Path.Combine(entry, CompleteMarker));
        _logger.CacheLookup(hit ? "hit" : "miss", plan.Runtime, plan.Key);
        if (!hit)
        {
            return CacheOutcome.Miss;
        }

        var origin = File.Exists(Path.Combine(entry, OriginFile)) ? await File.ReadAllTextAsync(Path.Combine(entry, OriginFile), cancellationToken) : appRoot;
        foreach (var folder in plan.ReleaseDirectories)
        {
            var source = Path.Combine(entry, ReleaseFolder, folder);
            if (Directory.Exists(source))
            {
                var target = Path.Combine(appRoot, folder);
                TreeCopy.Copy(source, target, cancellationToken);
                if (origin != appRoot)
                {
                    await RelocateAsync(Path.Combine(target, "bin"), origin, appRoot, cancellationToken);
                }
            }
        }

        return CacheOutcome.Hit;
    }

    /// <summary>The directory a tool cache (GOMODCACHE, NUGET_PACKAGES…) uses in place; created when missing.</summary>
    public static string ToolDirectory(CachePlan plan, string cacheRoot, string name)
    {
        var path = Path.Combine(EntryPath(plan, cacheRoot), ToolsFolder, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>After a successful build: stores the release folders (on a miss), marks the entry complete, drops older entries.</summary>
    public async Task SaveAsync(CachePlan plan, string appRoot, string cacheRoot, CacheOutcome outcome, CancellationToken cancellationToken)
    {
        var entry = EntryPath(plan, cacheRoot);
        if (outcome == CacheOutcome.Miss && plan.ReleaseDirectories.Count > 0)
        {
            var temp = Path.Combine(cacheRoot, $".{Path.GetFileName(entry)}.saving-{Guid.NewGuid():N}");
            try
            {
                foreach (var folder in plan.ReleaseDirectories)
                {
                    var source = Path.Combine(appRoot, folder);
                    if (Directory.Exists(source))
                    {
                        TreeCopy.Copy(source, Path.Combine(temp, ReleaseFolder, folder), cancellationToken);
                    }
                }

                Directory.CreateDirectory(temp);
                await File.WriteAllTextAsync(Path.Combine(temp, OriginFile), appRoot, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(temp, CompleteMarker), plan.Key, cancellationToken);
                DeleteQuietly(entry);
                Directory.Move(temp, entry);
            }
            finally
            {
                DeleteQuietly(temp);
            }
        }
        else if (outcome is CacheOutcome.Miss or CacheOutcome.Hit && Directory.Exists(entry))
        {
            await File.WriteAllTextAsync(Path.Combine(entry, CompleteMarker), plan.Key, cancellationToken);
        }
        else
        {
            return;
        }

        foreach (var other in Directory.EnumerateDirectories(cacheRoot, plan.Runtime + "-*"))
        {
            if (Path.GetFileName(other) != Path.GetFileName(entry))
            {
                DeleteQuietly(other);
            }
        }

        _logger.CacheSaved(plan.Runtime, plan.Key);
    }

    private static string EntryPath(CachePlan plan, string cacheRoot) => Path.Combine(cacheRoot, $"{plan.Runtime}-{plan.Key}");

    /// <summary>Scripts in a virtualenv's bin name its absolute path; point them at the new release.</summary>
    private static async Task RelocateAsync(string binDirectory, string oldRoot, string newRoot, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(binDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(binDirectory))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Length > MaxRelocatedFileBytes)
            {
                continue;
            }

            var text = await File.ReadAllTextAsync(file, cancellationToken);
            if (text.Contains(oldRoot, StringComparison.Ordinal) && !text.Contains('\0', StringComparison.Ordinal))
            {
                var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(file);
                await File.WriteAllTextAsync(file, text.Replace(oldRoot, newRoot, StringComparison.Ordinal), new UTF8Encoding(false), cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, mode);
                }
            }
        }
    }

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
            // A stale entry only costs disk space; the next save retries.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

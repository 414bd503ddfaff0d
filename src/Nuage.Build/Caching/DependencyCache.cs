using System.Text;
using Nuage.Core.FileSystem;
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
/// <remarks>
/// The server does this as root on folders the app's build wrote, so every access goes through
/// <see cref="BeneathDirectory"/>: no link is followed (a release folder that is a link is not cached, a cache entry
/// holding one is ignored), nothing outside the cache entry and the release is read or written, and the cache itself
/// is root's (mode 0700) so the app's build reaches only its tool folders (see docs/sandbox.md, "Files the server
/// touches as root").
/// </remarks>
public sealed class DependencyCache
{
    private const string CompleteMarker = ".complete";
    private const string OriginFile = ".origin";
    private const string ReleaseFolder = "release";
    private const string ToolsFolder = "tools";
    private const string RelocatedFolder = "bin";
    private const long MaxRelocatedFileBytes = 1024 * 1024;
    private const int MaxMarkerBytes = 4096;
    private const UnixFileMode PlatformOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Readable = PlatformOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode MarkerMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ILogger<DependencyCache> _logger;

    public DependencyCache(ILogger<DependencyCache> logger)
    {
        _logger = logger;
    }

    /// <summary>
    /// Before the install: copies cached release folders into <paramref name="appRoot"/> on a hit and returns the outcome.
    /// An entry holding links where folders or markers should be is treated as a miss (and dropped at the next save).
    /// </summary>
    public async Task<CacheOutcome> RestoreAsync(CachePlan plan, string appRoot, string cacheRoot, CancellationToken cancellationToken)
    {
        if (plan.ReleaseDirectories.Any(d => Path.Exists(Path.Combine(appRoot, d))))
        {
            _logger.CacheLookup("bypassed", plan.Runtime, plan.Key);
            return CacheOutcome.Bypassed;
        }

        using var cache = OpenCache(cacheRoot);
        using var app = BeneathDirectory.OpenRoot(appRoot) ?? throw new DirectoryNotFoundException("The release folder is missing.");
        var restored = new List<string>();
        try
        {
            using var entry = cache.OpenDirectory(EntryName(plan));
            var hit = entry?.ReadSmallText(CompleteMarker, MaxMarkerBytes) is not null;
            _logger.CacheLookup(hit ? "hit" : "miss", plan.Runtime, plan.Key);
            if (!hit)
            {
                return CacheOutcome.Miss;
            }

            var origin = ValidOrigin(entry!.ReadSmallText(OriginFile, MaxMarkerBytes)) ?? appRoot;
            using var release = entry.OpenDirectory(ReleaseFolder);
            foreach (var folder in plan.ReleaseDirectories)
            {
                using var source = release?.OpenDirectory(folder);
                if (source is null)
                {
                    continue;
                }

                restored.Add(folder);
                using var target = app.CreateDirectory(folder, Readable);
                TreeCopy.Copy(source, target, cancellationToken);
                if (origin != appRoot)
                {
                    await RelocateAsync(target, origin, appRoot, cancellationToken);
                }
            }

            return CacheOutcome.Hit;
        }
        catch (UnsafeTreeException e)
        {
            // Only the app's own build could have put a link there: ignore the entry, install from scratch.
            _logger.CacheFailed(plan.Runtime, e.Message);
            foreach (var folder in restored)
            {
                app.DeleteQuietly(folder);
            }

            return CacheOutcome.Miss;
        }
    }

    /// <summary>The directory a tool cache (GOMODCACHE, NUGET_PACKAGES…) uses in place; created (never through a link) when missing.</summary>
    public static string ToolDirectory(CachePlan plan, string cacheRoot, string name)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var cache = OpenCache(cacheRoot);
        using var entry = cache.CreateDirectory(EntryName(plan), PlatformOnly);
        using var tools = entry.CreateDirectory(ToolsFolder, PlatformOnly);
        using var tool = tools.CreateDirectory(name, PlatformOnly);
        return Path.Combine(cacheRoot, EntryName(plan), ToolsFolder, name);
    }

    /// <summary>After a successful build: stores the release folders (on a miss), marks the entry complete, drops older entries.</summary>
    public Task SaveAsync(CachePlan plan, string appRoot, string cacheRoot, CacheOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var cache = OpenCache(cacheRoot);
        var entryName = EntryName(plan);
        if (outcome == CacheOutcome.Miss && plan.ReleaseDirectories.Count > 0)
        {
            var temp = $".{entryName}.saving-{Guid.NewGuid():N}";
            try
            {
                using (var app = BeneathDirectory.OpenRoot(appRoot) ?? throw new DirectoryNotFoundException("The release folder is missing."))
                using (var saving = cache.CreateDirectory(temp, PlatformOnly))
                using (var release = saving.CreateDirectory(ReleaseFolder, PlatformOnly))
                {
                    foreach (var folder in plan.ReleaseDirectories)
                    {
                        // A link in the folder's place (node_modules -> elsewhere) fails here: nothing it points to is read.
                        using var source = app.OpenDirectory(folder);
                        if (source is not null)
                        {
                            using var target = release.CreateDirectory(folder, Readable);
                            TreeCopy.Copy(source, target, cancellationToken);
                        }
                    }

                    saving.ReplaceText(OriginFile, appRoot, MarkerMode);
                    saving.ReplaceText(CompleteMarker, plan.Key, MarkerMode);
                }

                cache.Delete(entryName);
                cache.Rename(temp, cache, entryName);
            }
            finally
            {
                cache.DeleteQuietly(temp);
            }
        }
        else if (outcome is CacheOutcome.Miss or CacheOutcome.Hit && cache.OpenDirectory(entryName) is { } entry)
        {
            using (entry)
            {
                entry.ReplaceText(CompleteMarker, plan.Key, MarkerMode);
            }
        }
        else
        {
            return Task.CompletedTask;
        }

        foreach (var other in cache.Entries().Select(e => e.Name).ToList())
        {
            if (other.StartsWith(plan.Runtime + "-", StringComparison.Ordinal) && other != entryName)
            {
                cache.DeleteQuietly(other);
            }
        }

        _logger.CacheSaved(plan.Runtime, plan.Key);
        return Task.CompletedTask;
    }

    private static string EntryName(CachePlan plan) => $"{plan.Runtime}-{plan.Key}";

    /// <summary>The cache folder, opened without following a link and made the platform's own (0700, root when root).</summary>
    private static BeneathDirectory OpenCache(string cacheRoot)
    {
        var cache = BeneathDirectory.CreateRoot(cacheRoot);
        try
        {
            cache.OwnByPlatform(PlatformOnly);
            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>The recorded release path, if it looks like one (absolute, one line); else no relocation happens.</summary>
    private static string? ValidOrigin(string? origin) =>
        origin is { Length: > 1 } && origin[0] == '/' && !origin.Contains('\n', StringComparison.Ordinal) && !origin.Contains('\0', StringComparison.Ordinal)
            ? origin
            : null;

    /// <summary>
    /// Scripts in a virtualenv's bin name its absolute path; point them at the new release. Only regular files of
    /// the restored folder's own <c>bin</c> (never through a link) are rewritten.
    /// </summary>
    private static async Task RelocateAsync(BeneathDirectory restored, string oldRoot, string newRoot, CancellationToken cancellationToken)
    {
        using var bin = restored.OpenDirectory(RelocatedFolder);
        if (bin is null)
        {
            return;
        }

        foreach (var entry in bin.Entries().ToList())
        {
            if (entry is not FileInfo file || file.LinkTarget is not null || file.Length > MaxRelocatedFileBytes)
            {
                continue;
            }

            await using var stream = bin.OpenReadWrite(entry.Name);
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var text = await reader.ReadToEndAsync(cancellationToken);
            if (text.Contains(oldRoot, StringComparison.Ordinal) && !text.Contains('\0', StringComparison.Ordinal))
            {
                var bytes = new UTF8Encoding(false).GetBytes(text.Replace(oldRoot, newRoot, StringComparison.Ordinal));
                stream.SetLength(0);
                stream.Position = 0;
                await stream.WriteAsync(bytes, cancellationToken);
            }
        }
    }
}

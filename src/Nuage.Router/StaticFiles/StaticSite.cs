using Nuage.Core.Errors;
using Nuage.Core.FileSystem;

namespace Nuage.Router.StaticFiles;

/// <summary>
/// A published static site: its web root held open (one descriptor), and the mapping from a request path to a file.
/// Every lookup goes through <see cref="BeneathDirectory.OpenBeneath"/>, so a link anywhere, <c>..</c> or a FIFO in the
/// release never leads outside it or blocks; hidden names (<c>.git</c>, <c>.env</c>…) are not served.
/// </summary>
internal sealed class StaticSite : IDisposable
{
    public const string NotFoundPage = "404.html";
    private static readonly string[] IndexFiles = ["index.html", "index.htm"];
    private readonly BeneathDirectory _root;

    private StaticSite(StaticSiteConfig config, BeneathDirectory root)
    {
        Config = config;
        _root = root;
    }

    public StaticSiteConfig Config { get; }

    /// <summary>Opens the web root; an error naming the field when the release or the web root is missing or reached through a link.</summary>
    public static StaticSite Open(StaticSiteConfig config)
    {
        var webRoot = config.WebRoot.Trim('/');
        BeneathDirectory? release;
        try
        {
            release = BeneathDirectory.OpenRoot(Path.TrimEndingDirectorySeparator(config.ReleaseDirectory));
        }
        catch (IOException e)
        {
            throw Invalid("StaticSite.ReleaseDirectory", config.ReleaseDirectory, e.Message);
        }

        if (release is null)
        {
            throw Invalid("StaticSite.ReleaseDirectory", config.ReleaseDirectory, "must be an existing folder");
        }

        using (release)
        {
            var root = release.OpenDirectoryBeneath(webRoot)
                ?? throw Invalid("StaticSite.WebRoot", config.WebRoot, "must be a real folder inside the release (no symbolic link on the way)");
            return new StaticSite(config, root);
        }
    }

    /// <summary>Maps a decoded request path (starting with '/') to an open file, a redirect to the folder's slash form, or nothing.</summary>
    public StaticMatch Find(string requestPath)
    {
        if (requestPath.Length == 0 || requestPath[0] != '/' || !IsServable(requestPath))
        {
            return StaticMatch.NotFound;
        }

        var relative = requestPath[1..];
        if (relative.Length == 0 || relative[^1] == '/')
        {
            return FindIndex(relative);
        }

        var entry = _root.OpenBeneath(relative);
        return entry.Kind switch
        {
            BeneathEntryKind.File => new StaticMatch(StaticMatchKind.File, entry, relative),
            BeneathEntryKind.Directory => new StaticMatch(StaticMatchKind.RedirectToFolder, default, relative),
            _ => StaticMatch.NotFound,
        };
    }

    /// <summary>The site's root index (SPA fallback), or its <c>404.html</c>.</summary>
    public StaticMatch FindIndex(string folder)
    {
        foreach (var index in IndexFiles)
        {
            var name = folder + index;
            var entry = _root.OpenBeneath(name);
            if (entry.Kind == BeneathEntryKind.File)
            {
                return new StaticMatch(StaticMatchKind.File, entry, name);
            }
        }

        return StaticMatch.NotFound;
    }

    public StaticMatch FindNotFoundPage()
    {
        var entry = _root.OpenBeneath(NotFoundPage);
        return entry.Kind == BeneathEntryKind.File ? new StaticMatch(StaticMatchKind.File, entry, NotFoundPage) : StaticMatch.NotFound;
    }

    /// <summary>A precompressed sibling (<c>name.br</c>, <c>name.gz</c>) of a file found, when it is a regular file too.</summary>
    public BeneathEntry FindSibling(string relative, string suffix)
    {
        var entry = _root.OpenBeneath(relative + suffix);
        return entry.Kind == BeneathEntryKind.File ? entry : default;
    }

    public void Dispose() => _root.Dispose();

    private static NuageException Invalid(string field, string value, string message) =>
        NuageException.Invalid(ErrorCodes.InvalidRoute, [new FieldError(field, value, message)]);

    /// <summary>No hidden segment (a dot first) except <c>.well-known</c> (RFC 8615).</summary>
    private static bool IsServable(string path)
    {
        foreach (var range in path.AsSpan(1).Split('/'))
        {
            var segment = path.AsSpan(1)[range];
            if (segment.Length > 0 && segment[0] == '.' && !segment.SequenceEqual(".well-known"))
            {
                return false;
            }
        }

        return true;
    }
}

internal enum StaticMatchKind
{
    NotFound,
    File,
    RedirectToFolder,
}

/// <summary>A lookup's outcome; for <see cref="StaticMatchKind.File"/> the caller owns <see cref="Entry"/>'s handle.</summary>
internal readonly record struct StaticMatch(StaticMatchKind Kind, BeneathEntry Entry, string RelativePath)
{
    public static StaticMatch NotFound => new(StaticMatchKind.NotFound, default, string.Empty);
}

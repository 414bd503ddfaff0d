using Nuage.Core.Errors;
using Nuage.Router.StaticFiles;

namespace Nuage.Router;

public sealed partial class NuageRouter
{
    /// <summary>
    /// The health gate of a static site, before its switch: opens the web root as the router will and checks that every
    /// health path (<c>/</c> when none) answers a file (200). Returns false with the reason otherwise.
    /// </summary>
    public static (bool Healthy, string Detail) CheckStaticSite(StaticSiteConfig site, IReadOnlyList<string> healthPaths)
    {
        ArgumentNullException.ThrowIfNull(site);
        StaticSite opened;
        try
        {
            opened = StaticSite.Open(site);
        }
        catch (NuageException e)
        {
            return (false, e.Message);
        }

        using (opened)
        {
            var paths = healthPaths.Count > 0 ? healthPaths : ["/"];
            foreach (var path in paths)
            {
                var normalized = path.StartsWith('/') ? path : "/" + path;
                var query = normalized.IndexOf('?', StringComparison.Ordinal);
                var match = opened.Find(query < 0 ? normalized : normalized[..query]);
                match.Entry.Handle?.Dispose();
                if (match.Kind != StaticMatchKind.File)
                {
                    return (false, $"{normalized} does not answer a file from the web root (index.html for a folder)");
                }
            }

            return (true, $"{string.Join(", ", paths)} served from the release");
        }
    }
}

namespace Nuage.Router;

/// <summary>
/// A static site the router serves itself, straight from a release directory (no instance process). Nothing outside
/// <see cref="ReleaseDirectory"/> is ever read: every file is opened beneath it without following a link.
/// </summary>
/// <param name="ServingId">Id of this serving (like an instance id: access logs name it, <see cref="NuageRouter.DrainAsync"/> drains it), e.g. <c>&lt;deployment&gt;-static</c>.</param>
/// <param name="ReleaseDirectory">The release, chosen by the platform (its last component must not be a link).</param>
/// <param name="WebRoot">Folder served, relative to the release (<c>CC_WEBROOT</c> inside the app folder); empty for the release itself. No link is followed to reach it.</param>
public sealed record StaticSiteConfig(string ServingId, string ReleaseDirectory, string WebRoot)
{
    /// <summary>Paths that match no file answer the site's <c>index.html</c> with 200 (single-page apps), instead of 404.</summary>
    public bool SpaFallback { get; init; }
}

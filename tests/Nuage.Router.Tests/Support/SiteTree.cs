using System.Text;

namespace Nuage.Router.Tests.Support;

/// <summary>
/// A temporary folder laid out like the data directory: <c>releases/&lt;id&gt;/</c> holds sites, and a
/// <c>secret.txt</c> sits beside the releases (what no request may ever read).
/// </summary>
internal sealed class SiteTree : IDisposable
{
    public const string SecretText = "TOP-SECRET-OUTSIDE-THE-RELEASE";

    public SiteTree()
    {
        Root = Directory.CreateTempSubdirectory("nuage-static-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "releases"));
        File.WriteAllText(SecretPath, SecretText);
    }

    public string Root { get; }

    public string SecretPath => Path.Combine(Root, "secret.txt");

    public string Release(string id)
    {
        var path = Path.Combine(Root, "releases", id);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Write(string release, string relative, string text) => Write(release, relative, Encoding.UTF8.GetBytes(text));

    public static void Write(string release, string relative, byte[] content)
    {
        var path = Path.Combine(release, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    public static StaticSiteConfig Site(string release, string servingId = "dep-1-static", string webRoot = "") => new(servingId, release, webRoot);

    public static AppRoute Route(string name, StaticSiteConfig site) =>
        new($"app-{name}", name, Nuage.Router.RouteState.Serving, site.ServingId, []) { StaticSite = site };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

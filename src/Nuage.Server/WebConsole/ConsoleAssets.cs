using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Nuage.Server.WebConsole;

/// <summary>
/// The console's files, embedded in the assembly at build time (no disk, no Node, no internet at run time).
/// Each is read once and served with a strong ETag. The page names its files under a versioned path
/// (<c>/console/v/{Version}/app.js</c>, the version a hash of every file), so a browser may keep them without asking
/// again until the server's files change: a reload then costs one request for the page, not one per module.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string ResourcePrefix = "Nuage.Console.";
    private const string Page = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, ConsoleAsset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name[ResourcePrefix.Length..]] = Asset(name[ResourcePrefix.Length..], copy.ToArray());
        }

        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(assets.Values.Select(a => a.ETag)))))[..12];
        if (assets.TryGetValue(Page, out var page))
        {
            var linked = Encoding.UTF8.GetString(page.Bytes).Replace("\"/console/", $"\"/console/v/{Version}/", StringComparison.Ordinal);
            assets[Page] = Asset(Page, Encoding.UTF8.GetBytes(linked));
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Names this build of the console's files (changes whenever one of them does).</summary>
    public string Version { get; }

    public ConsoleAsset? Find(string file) => _assets.GetValueOrDefault(file);

    private static ConsoleAsset Asset(string file, byte[] bytes) => new(
        bytes,
        ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"),
        "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
}

/// <summary>One embedded file.</summary>
internal sealed record ConsoleAsset(byte[] Bytes, string ContentType, string ETag);

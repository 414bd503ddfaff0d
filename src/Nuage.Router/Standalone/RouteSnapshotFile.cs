using System.Text.Json;
using Nuage.Core.FileSystem;

namespace Nuage.Router.Standalone;

/// <summary>
/// The last applied snapshot on disk: written atomically (a new file renamed over the name, so a link there is replaced, never
/// followed) with mode 0600, and read without following a link. It holds HTTPS private keys: the folder is root-only.
/// </summary>
internal sealed class RouteSnapshotFile(string directory, string name)
{
    private const int MaxBytes = 256 * 1024 * 1024;

    /// <summary>The saved snapshot, or null when there is none (or it cannot be read: the server will send a new one).</summary>
    public RouteSnapshot? Load()
    {
        using var folder = BeneathDirectory.OpenRoot(directory);
        var text = folder?.ReadSmallText(name, MaxBytes);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RouteSnapshot>(text, RouterJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(RouteSnapshot snapshot)
    {
        using var folder = BeneathDirectory.OpenRoot(directory) ?? throw new IOException($"{directory} is missing or not a folder");
        folder.ReplaceText(name, JsonSerializer.Serialize(snapshot, RouterJson.Options), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

using System.Text.Json;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Config;

/// <summary>
/// <c>.nuage.json</c> at the root of a work tree links it to an app, so later commands need no <c>--app</c>.
/// </summary>
public sealed record AppLink(string App)
{
    public const string FileName = ".nuage.json";

    /// <summary>The linked app of the nearest .nuage.json at or above <paramref name="directory"/>.</summary>
    internal static AppLink? Find(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, FileName);
            if (File.Exists(path))
            {
                try
                {
                    return JsonSerializer.Deserialize(File.ReadAllText(path), CliJson.Default.AppLink);
                }
                catch (JsonException e)
                {
                    throw CliException.Invalid($"{path} is not valid JSON ({e.Message}); run 'nuage link APP' to rewrite it.");
                }
            }
        }

        return null;
    }

    /// <summary>The root of the git work tree containing <paramref name="directory"/>, or null outside one.</summary>
    internal static string? GitRoot(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    internal static string Write(string directory, AppLink link)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(link, CliJson.Default.AppLink) + "\n");
        return path;
    }
}

using Nuage.Core.Apps;

namespace Nuage.Cli.Import;

/// <summary>The runtime an app directory's marker files point to (the server detects again at deploy).</summary>
internal static class RuntimeGuess
{
    private static readonly (string Runtime, string[] Markers)[] Markers =
    [
        (Runtimes.Node, ["package.json"]),
        (Runtimes.Php, ["composer.json", "index.php"]),
        (Runtimes.Python, ["requirements.txt", "pyproject.toml", "Pipfile"]),
        (Runtimes.Go, ["go.mod"]),
        (Runtimes.Procfile, ["Procfile"]),
    ];

    public static string? FromDirectory(string directory)
    {
        if (Directory.EnumerateFiles(directory, "*.csproj").Any())
        {
            return Runtimes.Dotnet;
        }

        return Markers.FirstOrDefault(m => m.Markers.Any(f => File.Exists(Path.Combine(directory, f)))).Runtime;
    }
}

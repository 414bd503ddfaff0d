using Nuage.Core.Apps;
using Nuage.Core.Errors;

namespace Nuage.Build.Detection;

/// <summary>
/// Finds the app folder inside a release and the runtime that builds it. Markers are checked in the order of
/// <see cref="MarkerTable"/> (first match wins); the app's declared runtime, when given, wins over the markers.
/// </summary>
public static class RuntimeDetector
{
    /// <summary>Runtime markers in precedence order. A <c>*</c> matches any file name with that suffix.</summary>
    public static IReadOnlyList<(string Runtime, string[] Markers)> MarkerTable { get; } =
    [
        (Runtimes.Dotnet, ["*.csproj"]),
        (Runtimes.Go, ["go.mod"]),
        (Runtimes.Node, ["package.json"]),
        (Runtimes.Python, ["requirements.txt", "pyproject.toml"]),
        (Runtimes.Php, ["composer.json", "index.php"]),
        (Runtimes.Static, ["index.html"]),
        (Runtimes.Procfile, [Procfile.FileName]),
    ];

    /// <summary>
    /// Detects the runtime of the release at <paramref name="releaseRoot"/>. Throws <see cref="NuageException"/>
    /// (Invalid) with code <c>invalid_app_folder</c>, <c>invalid_runtime</c>, <c>runtime_not_detected</c> or
    /// <c>invalid_procfile</c>.
    /// </summary>
    public static async Task<DetectedApp> DetectAsync(string releaseRoot, string? chosenRuntime, BuildSettings settings, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(releaseRoot));
        var appRoot = ResolveAppFolder(root, settings.AppFolder);
        if (chosenRuntime is not null && !Runtimes.IsKnown(chosenRuntime))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidRuntime, [new FieldError("runtime", chosenRuntime, $"unknown runtime; accepted: {string.Join(", ", Runtimes.All)}")]);
        }

        var markers = FindMarkers(appRoot, settings);
        var detected = MarkerTable.FirstOrDefault(row => row.Markers.Any(m => markers.Any(found => Matches(m, found)))).Runtime;
        var runtime = chosenRuntime ?? detected;
        if (runtime is null)
        {
            var expected = string.Join("; ", MarkerTable.Select(r => $"{r.Runtime}: {string.Join(" or ", r.Markers)}"));
            throw NuageException.Invalid(ErrorCodes.RuntimeNotDetected, [new FieldError("runtime", null, $"no runtime marker found in '{Relative(root, appRoot)}'; expected one of {expected}, or choose the runtime with 'nuage create -t'")]);
        }

        var procfile = await Procfile.LoadAsync(appRoot, cancellationToken);
        return new DetectedApp(runtime, root, appRoot, markers, chosenRuntime is not null, procfile) { DetectedRuntime = detected };
    }

    /// <summary>The app folder as an absolute path inside the release; it must exist and not go through a link.</summary>
    internal static string ResolveAppFolder(string root, string? appFolder)
    {
        if (string.IsNullOrWhiteSpace(appFolder) || appFolder.Trim() is "." or "./" or "/")
        {
            return root;
        }

        var field = nameof(BuildSettings.AppFolder);
        var parts = appFolder.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (appFolder.Trim().StartsWith('/') || parts.Contains(".."))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAppFolder, [new FieldError(field, appFolder, "must be a relative path inside the release, without '..' (e.g. 'backend' or 'apps/web')")]);
        }

        var current = root;
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (!info.Exists)
            {
                throw NuageException.Invalid(ErrorCodes.InvalidAppFolder, [new FieldError(field, appFolder, $"folder '{Relative(root, current)}' does not exist in the release")]);
            }

            if (info.LinkTarget is not null)
            {
                throw NuageException.Invalid(ErrorCodes.InvalidAppFolder, [new FieldError(field, appFolder, $"'{Relative(root, current)}' is a symbolic link; point the app folder at a real directory")]);
            }
        }

        return current;
    }

    private static List<string> FindMarkers(string appRoot, BuildSettings settings)
    {
        var names = Directory.EnumerateFiles(appRoot).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var wanted = MarkerTable.SelectMany(r => r.Markers).ToList();
        if (settings.PipRequirementsFile is { Length: > 0 } requirements && File.Exists(Path.Combine(appRoot, requirements)))
        {
            names.Add("requirements.txt");
        }

        return [.. names.Where(n => wanted.Any(m => Matches(m, n))).Order(StringComparer.Ordinal)];
    }

    private static bool Matches(string marker, string fileName) =>
        marker.StartsWith('*') ? fileName.EndsWith(marker[1..], StringComparison.Ordinal) && fileName.Length > marker.Length - 1 : marker == fileName;

    private static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." ? "./" : relative;
    }
}

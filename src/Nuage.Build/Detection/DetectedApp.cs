namespace Nuage.Build.Detection;

/// <summary>The outcome of runtime detection for one release.</summary>
/// <param name="Runtime">One of <see cref="Nuage.Core.Apps.Runtimes"/>.</param>
/// <param name="ReleaseRoot">The release directory.</param>
/// <param name="AppRoot">Where the app lives: the release root or its AppFolder sub-folder.</param>
/// <param name="Markers">Marker files found in <paramref name="AppRoot"/>, e.g. <c>package.json</c>.</param>
/// <param name="RuntimeWasChosen">True when the app's declared runtime was used rather than the markers.</param>
/// <param name="Procfile">The app's Procfile, when it has one.</param>
public sealed record DetectedApp(
    string Runtime,
    string ReleaseRoot,
    string AppRoot,
    IReadOnlyList<string> Markers,
    bool RuntimeWasChosen,
    Procfile? Procfile)
{
    /// <summary>The runtime the markers point to, whatever was chosen, or null when none matched.</summary>
    public string? DetectedRuntime { get; init; }
}

namespace Nuage.Cli.Import;

/// <summary>
/// What an import carried over and what it did not. Nothing is dropped silently: every setting of the source that
/// is not in the new app is listed with the reason and what to do.
/// </summary>
internal sealed class ImportReport
{
    public List<string> Carried { get; } = [];

    public List<(string Item, string Reason)> NotCarried { get; } = [];

    public void Carry(string item) => Carried.Add(item);

    public void Skip(string item, string reason) => NotCarried.Add((item, reason));
}

/// <summary>What an import source gives: the app to create (as a manifest) and the report so far.</summary>
internal sealed record ImportedApp(Manifest.ManifestConfig Manifest, ImportReport Report)
{
    /// <summary>With <c>--with-addons</c>: the add-ons whose data is copied from the old database once they exist.</summary>
    public IReadOnlyList<AddonDataSource> DataSources { get; init; } = [];
}

using Nuage.Build.Detection;
using Nuage.Build.Tests.Support;
using Nuage.Core.Errors;

namespace Nuage.Build.Tests.Detection;

public sealed class RuntimeDetectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("static", "index.html")]
    [InlineData("node", "package.json")]
    [InlineData("python", "requirements.txt")]
    [InlineData("python", "pyproject.toml")]
    [InlineData("php", "composer.json")]
    [InlineData("php", "index.php")]
    [InlineData("dotnet", "Web.csproj")]
    [InlineData("go", "go.mod")]
    [InlineData("procfile", "Procfile")]
    [InlineData("node", "package.json", "index.html", "Procfile")]
    [InlineData("python", "requirements.txt", "index.html")]
    [InlineData("dotnet", "App.csproj", "package.json")]
    [InlineData("go", "go.mod", "package.json")]
    public async Task Detect_MarkerFiles_PickRuntimeByPrecedence(string expected, params string[] files)
    {
        foreach (var file in files)
        {
            await File.WriteAllTextAsync(_temp.Combine(file), file == "Procfile" ? "web: run" : "{}");
        }

        var app = await RuntimeDetector.DetectAsync(_temp.Path, null, new BuildSettings(), CancellationToken.None);

        Assert.Equal(expected, app.Runtime);
        Assert.False(app.RuntimeWasChosen);
        Assert.Equal(files.Order(StringComparer.Ordinal), app.Markers);
    }

    [Fact]
    public async Task Detect_ChosenRuntime_WinsOverMarkers()
    {
        await File.WriteAllTextAsync(_temp.Combine("package.json"), "{}");

        var app = await RuntimeDetector.DetectAsync(_temp.Path, "static", new BuildSettings(), CancellationToken.None);

        Assert.Equal("static", app.Runtime);
        Assert.Equal("node", app.DetectedRuntime);
        Assert.True(app.RuntimeWasChosen);
    }

    [Fact]
    public async Task Detect_AppFolder_LooksInsideTheSubfolder()
    {
        Directory.CreateDirectory(_temp.Combine("services", "api"));
        await File.WriteAllTextAsync(_temp.Combine("services", "api", "go.mod"), "module x");
        await File.WriteAllTextAsync(_temp.Combine("index.html"), "root");

        var app = await RuntimeDetector.DetectAsync(_temp.Path, null, new BuildSettings { AppFolder = "services/api" }, CancellationToken.None);

        Assert.Equal("go", app.Runtime);
        Assert.Equal(_temp.Combine("services", "api"), app.AppRoot);
    }

    [Theory]
    [InlineData("../other")]
    [InlineData("/etc")]
    [InlineData("a/../../x")]
    [InlineData("missing")]
    [InlineData("link")]
    public async Task Detect_AppFolderOutsideOrMissing_IsRejectedNamingTheSetting(string folder)
    {
        File.CreateSymbolicLink(_temp.Combine("link"), "/etc");

        var error = await Assert.ThrowsAsync<NuageException>(() =>
            RuntimeDetector.DetectAsync(_temp.Path, null, new BuildSettings { AppFolder = folder }, CancellationToken.None));

        Assert.Equal("invalid_app_folder", error.Code);
        Assert.Equal(nameof(BuildSettings.AppFolder), Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task Detect_NoMarker_FailsListingTheMarkers()
    {
        await File.WriteAllTextAsync(_temp.Combine("README"), "hi");

        var error = await Assert.ThrowsAsync<NuageException>(() => RuntimeDetector.DetectAsync(_temp.Path, null, new BuildSettings(), CancellationToken.None));

        Assert.Equal("runtime_not_detected", error.Code);
        Assert.Contains("package.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detect_UnknownChosenRuntime_FailsListingAccepted()
    {
        var error = await Assert.ThrowsAsync<NuageException>(() => RuntimeDetector.DetectAsync(_temp.Path, "cobol", new BuildSettings(), CancellationToken.None));

        Assert.Equal("invalid_runtime", error.Code);
        Assert.Contains("node", error.Message, StringComparison.Ordinal);
    }
}

using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class HostVersionsTests
{
    private static readonly HostVersions Host = HostVersions.Of(("php", ["8.2.7", "8.3.1", "8.3.12"]), ("node", ["20.11.1"]));

    [Theory]
    [InlineData("8", "8.3.12")]
    [InlineData("8.2", "8.2.7")]
    [InlineData("8.3", "8.3.12")]
    [InlineData("8.3.1", "8.3.1")]
    [InlineData(" 8.3 ", "8.3.12")]
    public void PhpVersion_FullOrPrefix_ResolvesToHighestInstalledMatch(string raw, string expected)
    {
        var validator = new VariableValidator(VariableRegistry.Default, Host);
        var settings = validator.ReadSettings(new Dictionary<string, string> { [KnownVariables.PhpVersion.Name] = raw });
        Assert.Equal(expected, settings.PhpVersion);
    }

    [Theory]
    [InlineData("7.4")]
    [InlineData("8.1")]
    [InlineData("8.3.")]
    [InlineData("8.31")]
    public void PhpVersion_NotInstalled_IsRefusedListingInstalledOnes(string raw)
    {
        var validator = new VariableValidator(VariableRegistry.Default, Host);
        var result = validator.ValidateChanges("php", [new(KnownVariables.PhpVersion.Name, raw)]);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"CC_PHP_VERSION: \"{raw}\" is not accepted; use one of: 8, 8.2, 8.2.7, 8.3, 8.3.1, 8.3.12", error.ToLine());
    }

    [Fact]
    public void NodeVersion_WithLeadingV_IsAccepted()
    {
        Assert.True(KnownVariables.NodeVersion.TypedType.TryParse("v20", Host, out var value));
        Assert.Equal("20.11.1", value);
    }

    [Fact]
    public void Version_ToolNotInstalled_SaysNoneFound()
    {
        var validator = new VariableValidator(VariableRegistry.Default, Host);
        var result = validator.ValidateChanges("python", [new(KnownVariables.PythonVersion.Name, "3.12")]);
        Assert.Equal("CC_PYTHON_VERSION: \"3.12\" is not accepted; use a python version installed on this host (none found)", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("v20.11.1\n", "20.11.1")]
    [InlineData("Python 3.11.2\n", "3.11.2")]
    [InlineData("go version go1.22.1 linux/amd64\n", "1.22.1")]
    [InlineData("PHP 8.2.7 (cli) (built: Jun  9 2023 19:37:27) (NTS)\nCopyright (c) The PHP Group\nZend Engine v4.2.7", "8.2.7")]
    [InlineData("no digits here", null)]
    public void ParseVersion_OfToolOutput_FindsTheFirstVersion(string output, string? expected) =>
        Assert.Equal(expected, HostVersions.ParseVersion(output));

    [Fact]
    public void ParseDotnetRuntimes_KeepsOnlyTheCoreRuntime()
    {
        const string output = """
            Microsoft.AspNetCore.App 10.0.0 [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]
            Microsoft.NETCore.App 8.0.11 [/usr/share/dotnet/shared/Microsoft.NETCore.App]
            Microsoft.NETCore.App 10.0.0 [/usr/share/dotnet/shared/Microsoft.NETCore.App]
            """;
        Assert.Equal(["8.0.11", "10.0.0"], HostVersions.ParseDotnetRuntimes(output));
    }

    [Fact]
    public void Versions_AreOrderedNumerically()
    {
        var host = HostVersions.Of(("python", ["3.12.1", "3.9.18", "3.10.4"]));
        Assert.Equal(["3.9.18", "3.10.4", "3.12.1"], host.VersionsOf("python"));
        Assert.Equal("3.12.1", host.Resolve("python", "3"));
    }

    [Fact]
    public async Task DetectAsync_OnThisHost_FindsTheDotnetRuntimeRunningTheTests()
    {
        // Real child processes: dotnet is necessarily installed, since it runs this test.
        var detected = await HostVersions.DetectAsync(CancellationToken.None);
        Assert.Contains(Environment.Version.ToString(), detected.VersionsOf(HostTools.Dotnet));
        Assert.All(detected.Tools, t => Assert.Contains(t.Tool, HostTools.All));
    }

    [Fact]
    public async Task DetectAsync_WhenCancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HostVersions.DetectAsync(cancelled.Token));
    }
}

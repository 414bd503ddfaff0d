using Nuage.Cli.Commands;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Tests.Commands;

public sealed class FlowCacheSizeTests
{
    [Theory]
    [InlineData("64MB", 64L * 1024 * 1024)]
    [InlineData("512kb", 512L * 1024)]
    [InlineData("1GB", 1024L * 1024 * 1024)]
    [InlineData("1048576", 1048576L)]
    [InlineData("off", null)]
    public void CacheSize_ReadsUnitsAndOff(string text, long? bytes) => Assert.Equal(bytes, FlowCommands.ParseSize(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("64 MB extra")]
    public void CacheSize_NotASize_IsInvalidInputNamingTheOption(string text)
    {
        var error = Assert.Throws<CliException>(() => FlowCommands.ParseSize(text));

        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Contains("--size", error.Message, StringComparison.Ordinal);
    }
}

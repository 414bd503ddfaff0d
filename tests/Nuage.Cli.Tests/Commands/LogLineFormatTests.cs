using Nuage.Cli.Commands;
using Nuage.Core.Api;

namespace Nuage.Cli.Tests.Commands;

public sealed class LogLineFormatTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 27, 16, 19, 22, 50, TimeSpan.Zero);

    [Fact]
    public void AppLine_ShowsTimeSourceShortInstanceStreamAndMessage()
    {
        var line = new LogLineDto { Seq = 7, Time = Time, Source = "app", Instance = "dep_1-web-0", Deployment = "dep_1", Stream = "stdout", Message = "listening on 8080" };

        Assert.Equal("2026-11-27T16:19:22.05Z app[web-0] stdout: listening on 8080", new LogLineFormat(colour: false, json: false).Format(line));
    }

    [Fact]
    public void PlatformLineWithoutInstance_ShowsTheDeployment()
    {
        var line = new LogLineDto { Seq = 8, Time = Time, Source = "platform", Deployment = "dep_1", Message = "deployment dep_1 succeeded" };

        Assert.Equal("2026-11-27T16:19:22.05Z platform[dep_1] deployment dep_1 succeeded", new LogLineFormat(false, false).Format(line));
    }

    [Fact]
    public void Json_IsOneCompactObject()
    {
        var line = new LogLineDto { Seq = 9, Time = Time, Source = "access", Message = "GET / 200" };

        Assert.Equal("{\"seq\":9,\"time\":\"2026-11-27T16:19:22.05+00:00\",\"source\":\"access\",\"message\":\"GET / 200\"}", new LogLineFormat(false, true).Format(line));
    }

    [Fact]
    public void Colour_OnlyWhenAsked()
    {
        var line = new LogLineDto { Seq = 1, Time = Time, Source = "app", Stream = "stderr", Message = "boom" };

        Assert.Contains("\u001b[", new LogLineFormat(true, false).Format(line), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", new LogLineFormat(false, false).Format(line), StringComparison.Ordinal);
    }
}

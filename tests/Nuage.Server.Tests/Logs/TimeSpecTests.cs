using Nuage.Core.Errors;
using Nuage.Server.Logs;

namespace Nuage.Server.Tests.Logs;

public sealed class TimeSpecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 16, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", 0, 0, 30)]
    [InlineData("10m", 0, 10, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("1d", 24, 0, 0)]
    public void Duration_IsCountedBackFromNow(string value, int hours, int minutes, int seconds)
    {
        Assert.Equal(Now - new TimeSpan(hours, minutes, seconds), TimeSpec.Parse("since", value, Now));
    }

    [Theory]
    [InlineData("2026-11-27T16:19:22Z", "2026-11-27T16:19:22+00:00")]
    [InlineData("2026-11-27T16:19:22.5+02:00", "2026-11-27T14:19:22.5+00:00")]
    [InlineData("2026-11-27", "2026-11-27T00:00:00+00:00")]
    public void Timestamp_IsParsedAsUtc(string value, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeSpec.Parse("since", value, Now));
    }

    [Fact]
    public void Empty_MeansNoBound() => Assert.Null(TimeSpec.Parse("since", " ", Now));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10")]
    [InlineData("-5m")]
    [InlineData("10 m")]
    [InlineData("2026-13-45")]
    public void Garbage_IsRefusedNamingFieldValueAndAcceptedForms(string value)
    {
        var error = Assert.Single(Assert.Throws<NuageException>(() => TimeSpec.Parse("until", value, Now)).Errors);

        Assert.Equal("until", error.Field);
        Assert.Equal(value, error.Value);
        Assert.Contains("10m", error.Message, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", error.Message, StringComparison.Ordinal);
    }
}

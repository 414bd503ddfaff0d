using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class NumberTextPathListTypeTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("+5", 5)]
    [InlineData("3600", 3600)]
    public void Number_InRange_Parses(string raw, int expected)
    {
        Assert.True(new NumberType(0, 3600).TryParse(raw, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    [InlineData("0x10")]
    public void Number_OutOfRangeOrNotWhole_IsRefused(string raw) =>
        Assert.False(new NumberType(0, 3600).TryParse(raw, HostVersions.None, out _));

    [Fact]
    public void Number_Accepted_NamesTheRange()
    {
        Assert.Equal("a whole number from 0 to 3600", new NumberType(0, 3600).AcceptedForDocs);
        Assert.Equal("a whole number of at least 0", new NumberType(min: 0).AcceptedForDocs);
        Assert.Equal("a whole number of at most 9", new NumberType(max: 9).AcceptedForDocs);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/health", true)]
    [InlineData("/api/v1/health?full=1", true)]
    [InlineData("health", false)]
    [InlineData("/with space", false)]
    public void HealthCheckPath_MustBeAUrlPath(string raw, bool accepted) =>
        Assert.Equal(accepted, KnownVariables.HealthCheckPath.TypedType.TryParse(raw, HostVersions.None, out _));

    [Fact]
    public void Text_LongerThanMax_IsRefused()
    {
        var type = new TextType(maxLength: 5);
        Assert.True(type.TryParse("12345", HostVersions.None, out _));
        Assert.False(type.TryParse("123456", HostVersions.None, out _));
    }

    [Theory]
    [InlineData("app.server:app", true)]
    [InlineData("wsgi:application", true)]
    [InlineData("app.server", false)]
    [InlineData("app server:app", false)]
    public void PythonModule_MustBeModuleColonObject(string raw, bool accepted) =>
        Assert.Equal(accepted, KnownVariables.PythonModule.TypedType.TryParse(raw, HostVersions.None, out _));

    [Theory]
    [InlineData("api", "api")]
    [InlineData("services/web", "services/web")]
    [InlineData("./services//web/", "services/web")]
    [InlineData(".", ".")]
    [InlineData("a..b", "a..b")]
    public void Path_InsideTheRelease_IsNormalised(string raw, string expected)
    {
        Assert.True(PathType.Relative.TryParse(raw, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("..")]
    [InlineData("../other-app")]
    [InlineData("api/../../etc")]
    [InlineData("api\\..\\..")]
    [InlineData("C:/windows")]
    [InlineData("api\u0000")]
    public void Path_LeavingTheReleaseOrAbsolute_IsRefused(string raw) =>
        Assert.False(PathType.Relative.TryParse(raw, HostVersions.None, out _));

    [Fact]
    public void List_CommaSeparated_TrimsItemsAndDropsEmptyOnes()
    {
        Assert.True(new ListType().TryParse("10.0.0.1, 10.0.0.2,,", HostVersions.None, out var value));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], value);
    }

    [Fact]
    public void List_OfOnlySeparators_IsRefused() =>
        Assert.False(new ListType().TryParse(",,", HostVersions.None, out _));

    [Fact]
    public void List_WithABadItem_IsRefused()
    {
        var numbers = new ListType(';', new TextType(maxLength: 3));
        Assert.True(numbers.TryParse("a;bb", HostVersions.None, out _));
        Assert.False(numbers.TryParse("a;toolong", HostVersions.None, out _));
    }
}

using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class BooleanTypeTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("enable", true)]
    [InlineData("enabled", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("disable", false)]
    [InlineData("disabled", false)]
    public void Plain_AcceptedToken_ParsesToItsMeaning(string token, bool expected)
    {
        Assert.True(BooleanType.Plain.TryParse(token, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("disable", true)]
    [InlineData("disabled", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Disabler_AcceptedToken_ParsesToItsMeaning(string token, bool expected)
    {
        Assert.True(BooleanType.Disabler.TryParse(token, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("enable")]
    [InlineData("enabled")]
    [InlineData("2")]
    [InlineData("y")]
    [InlineData("truee")]
    public void Disabler_AmbiguousOrUnknownToken_IsRefused(string token) =>
        Assert.False(BooleanType.Disabler.TryParse(token, HostVersions.None, out _));

    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("y")]
    [InlineData("t")]
    [InlineData("nope")]
    [InlineData("true false")]
    [InlineData("oui")]
    public void Plain_UnknownToken_IsRefused(string token) =>
        Assert.False(BooleanType.Plain.TryParse(token, HostVersions.None, out _));

    [Fact]
    public void AnyCasingAndSurroundingWhitespace_OfEveryToken_ParsesTheSameThroughTheValidator()
    {
        var validator = new VariableValidator(VariableRegistry.Default, HostVersions.None);
        foreach (var (type, definition) in new[] { (BooleanType.Plain, KnownVariables.CacheDependencies), (BooleanType.Disabler, KnownVariables.DisableGitSubmodules) })
        {
            foreach (var token in type.TrueTokens.Concat(type.FalseTokens))
            {
                var expected = type.TrueTokens.Contains(token);
                foreach (var variant in Variants.Of(token))
                {
                    var settings = validator.ReadSettings(new Dictionary<string, string> { [definition.Name] = variant });
                    Assert.Equal(expected, settings.Get(definition));
                }
            }
        }
    }
}

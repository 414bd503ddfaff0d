using System.Net;
using Nuage.Bgp.Irr;

namespace Nuage.Bgp.Tests.Irr;

public sealed class IrrRouteObjectTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Irr", "Fixtures", name);

    [Fact]
    public void RpslFile_RegistersRouteAndRoute6Objects_WithTheirOrigin()
    {
        var registry = new IrrRegistry(RpslRouteFile.Read(Fixture("routes.rpsl")));

        Assert.Equal(3, registry.Routes.Count); // the aut-num object is skipped
        var v4 = registry.Check(IPNetwork.Parse("192.0.2.0/24"), 65001);
        Assert.True(v4.Registered);
        Assert.Equal("routes.rpsl line 4, source TEST", v4.Match!.Source);
        Assert.True(registry.Check(IPNetwork.Parse("2001:db8:42::/48"), 65001).Registered); // "as65001": any case

        var wrongOrigin = registry.Check(IPNetwork.Parse("198.51.100.0/24"), 65001);
        Assert.False(wrongOrigin.Registered);
        Assert.Contains("registered with AS65002 only", wrongOrigin.Explanation, StringComparison.Ordinal);
        Assert.False(registry.Check(IPNetwork.Parse("192.0.2.0/25"), 65001).Registered); // a route object is for its exact prefix
        Assert.Contains("no route object", registry.Check(IPNetwork.Parse("10.0.0.0/8"), 65001).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Bgpq4Export_ExactAndRangeEntries_ForTheNamedOriginOrAnyOrigin()
    {
        var forAs = new IrrRegistry(Bgpq4Export.Read(Fixture("as-example.json"), origin: 65010));
        var anyOrigin = new IrrRegistry(Bgpq4Export.Read(Fixture("as-example.json")));

        Assert.True(forAs.Check(IPNetwork.Parse("203.0.113.0/24"), 65010).Registered);
        Assert.False(forAs.Check(IPNetwork.Parse("203.0.113.0/24"), 65011).Registered);
        Assert.True(anyOrigin.Check(IPNetwork.Parse("203.0.113.0/24"), 65011).Registered);
        Assert.Equal("as-example.json line 2, list EXAMPLE", anyOrigin.Check(IPNetwork.Parse("203.0.113.0/24"), 65011).Match!.Source);

        Assert.True(forAs.Check(IPNetwork.Parse("100.64.12.0/22"), 65010).Registered); // within 20-24
        Assert.False(forAs.Check(IPNetwork.Parse("100.64.0.0/16"), 65010).Registered); // shorter than greater-equal
        Assert.False(forAs.Check(IPNetwork.Parse("100.64.1.0/25"), 65010).Registered); // longer than less-equal
        Assert.True(forAs.Check(IPNetwork.Parse("2001:db8:100::/40"), 65010).Registered);
        Assert.False(forAs.Check(IPNetwork.Parse("2001:db8:100::/48"), 65010).Registered);
    }

    [Theory]
    [InlineData("route: 192.0.2.0/24\norigin: AS65001\n\n  orphan continuation\n", 4, "continuation line")]
    [InlineData("route: 192.0.2.0/24\nthis line has no colon\n", 2, "expected 'attribute: value', got 'this line has no colon'")]
    [InlineData("route: 192.0.2.1/24\norigin: AS65001\n", 1, "'192.0.2.1/24' is not a prefix")]
    [InlineData("route: 2001:db8::/32\norigin: AS65001\n", 1, "use route6: for it")]
    [InlineData("% c\n\nroute6: 2001:db8::/32\ndescr: x\n", 3, "has 0 origin: attributes")]
    [InlineData("route: 192.0.2.0/24\ndescr: x\norigin: ASX1\n", 3, "origin: 'ASX1' is not an AS number")]
    public void MalformedRpsl_ErrorNamesTheLine(string text, int line, string problem)
    {
        var error = Assert.Throws<IrrFormatException>(() => RpslRouteFile.Parse(text, "ops.rpsl"));

        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"ops.rpsl line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"L\": [\n {\"prefix\": \"192.0.2.0/24\", \"exact\": true},\n {\"prefix\": \"192.0.2.0/33\"}\n]}", 3, "is not a prefix")]
    [InlineData("{\"L\": [\n {\"exact\": true}\n]}", 2, "has no \"prefix\"")]
    [InlineData("{\"L\": [\n {\"prefix\": \"10.0.0.0/8\", \"exact\": false, \"greater-equal\": 4}\n]}", 2, "greater-equal 4")]
    [InlineData("{\"L\": [\n {\"prefix\": \"10.0.0.0/8\", \"exact\": \"yes\"}\n]}", 2, "expected true or false")]
    [InlineData("{\"L\": [\n {\"prefix\": \"10.0.0.0/8\",, }\n]}", 2, "not valid JSON")]
    [InlineData("[\"10.0.0.0/8\"]", 1, "JSON object of prefix lists")]
    [InlineData("{\"L\": [\n {\"prefix\": \"10.0.0.0/8\"}", 2, "")]
    public void MalformedBgpq4Export_ErrorNamesTheLine(string json, int line, string problem)
    {
        var error = Assert.Throws<IrrFormatException>(() => Bgpq4Export.Parse(json, "as.json"));

        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}

using Nuage.Router.Flow;

namespace Nuage.Router.Tests.Flow;

/// <summary>Bad flow settings are refused when set, each error naming its field.</summary>
public sealed class FlowValidationTests
{
    [Fact]
    public void BadRegex_InvalidHeaderName_BadTargetAndStatus_AreEachNamed()
    {
        var errors = new FlowConfig
        {
            CanonicalHost = "Not A Host",
            Rules = [new FlowRule(FlowRuleKinds.Redirect, "^/(unclosed", "/x"), new FlowRule(FlowRuleKinds.Rewrite, "^/a$", "https://x.test/") { Status = 200 }, new FlowRule(FlowRuleKinds.Redirect, "^/b$", "/c") { Status = 200 }],
            Headers = [new FlowHeader("Bad Header", "v"), new FlowHeader("X-Ok", "line\nbreak"), new FlowHeader("Content-Length", "1")],
        }.Validate();

        var fields = errors.Select(e => e.Field).ToList();
        Assert.Contains("canonicalHost", fields);
        Assert.Contains("rules[0].pattern", fields);
        Assert.Contains("rules[1].target", fields);
        Assert.Contains("rules[2].status", fields);
        Assert.Contains("headers[0].name", fields);
        Assert.Contains("headers[1].value", fields);
        Assert.Contains("headers[2].name", fields);
        Assert.Contains("not a valid regular expression", errors.Single(e => e.Field == "rules[0].pattern").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectLoopBetweenTwoRules_IsRefused_NamingBothRules()
    {
        var errors = new FlowConfig
        {
            Rules = [new FlowRule(FlowRuleKinds.Redirect, "^/a/(.*)$", "/b/$1"), new FlowRule(FlowRuleKinds.Redirect, "^/b/(.*)$", "/a/$1")],
        }.Validate();

        var loop = Assert.Single(errors);
        Assert.Equal("rules[0]", loop.Field);
        Assert.Contains("redirect loop", loop.Message, StringComparison.Ordinal);
        Assert.Contains("rules[1]", loop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainsThatEnd_AndRewrites_AreAccepted()
    {
        Assert.Empty(new FlowConfig
        {
            Rules =
            [
                new FlowRule(FlowRuleKinds.Redirect, "^/a$", "/b"),
                new FlowRule(FlowRuleKinds.Redirect, "^/b$", "/c"),
                new FlowRule(FlowRuleKinds.Rewrite, "^/c$", "/c.html"),
            ],
            Headers = [new FlowHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains")],
            CanonicalHost = "www.example.com",
        }.Validate());
    }

    [Fact]
    public void BasicAuth_WithAPlaintextPassword_IsRefused()
    {
        var errors = new FlowConfig { BasicAuth = new BasicAuthConfig { Users = [new BasicAuthUser("alice", "hunter22")] } }.Validate();

        Assert.Equal("basicAuth.users[0].hash", Assert.Single(errors).Field);
    }
}

using Nuage.Server.Acme;

namespace Nuage.Server.Tests.Acme;

public sealed class AcmeOptionsTests
{
    [Theory]
    [InlineData("http-01")]
    [InlineData("tls-alpn-01")]
    public void Challenge_Known_IsAccepted(string challenge)
    {
        Assert.Empty(new AcmeOptions { Email = "ops@example.com", Challenge = challenge }.Validate("0.0.0.0:443"));
    }

    [Fact]
    public void Challenge_Unknown_IsRefusedNamingTheFlagTheValueAndTheAcceptedTypes()
    {
        var error = Assert.Single(new AcmeOptions { Email = "ops@example.com", Challenge = "dns-01" }.Validate("0.0.0.0:443"));

        Assert.Equal(AcmeOptions.ChallengeFlag, error.Field);
        Assert.Equal("dns-01", error.Value);
        Assert.Contains("http-01 or tls-alpn-01", error.Message, StringComparison.Ordinal);
    }
}

using Nuage.Core.Errors;
using Nuage.Core.Usage;
using Nuage.Server.Usage;

namespace Nuage.Server.Tests.Usage;

public sealed class PriceListTests
{
    [Fact]
    public void ValidList_PricesFlavorsAndPlans_PerHour()
    {
        var prices = PriceList.Parse("prices.json", """
            { "currency": "EUR", "flavors": { "nano": 0.036, "XS": 0.072 }, "plans": { "xs": 0.01 } }
            """);

        Assert.Equal("EUR", prices.Currency);
        Assert.Equal(0.036m, prices.Cost(UsageSubjects.App, "nano", 3600));
        Assert.Equal(0.00001m, prices.Cost(UsageSubjects.App, "nano", 1));
        Assert.Equal(0.02m, prices.Cost(UsageSubjects.Addon, "xs", 7200));
        Assert.Null(prices.Cost(UsageSubjects.App, "M", 3600)); // no built-in price: no cost
    }

    [Theory]
    [InlineData("{ \"currency\": \"EUR\", \"flavors\": { \"nanoo\": 1 } }", "\"flavors.nanoo\"")]
    [InlineData("{ \"currency\": \"EUR\", \"flavors\": { \"nano\": -1 } }", "a number ≥ 0")]
    [InlineData("{ \"currency\": \"EUR\", \"flavors\": { \"nano\": \"1\" } }", "\"flavors.nano\"")]
    [InlineData("{ \"currency\": \"euro\" }", "ISO 4217")]
    [InlineData("{ \"flavors\": {} }", "\"currency\" is missing")]
    [InlineData("{ \"currency\": \"EUR\", \"price\": {} }", "\"price\" is not a known key")]
    [InlineData("{ \"currency\": \"EUR\", \"plans\": { \"huge\": 1 } }", "\"plans.huge\"")]
    [InlineData("{\n  \"currency\": \"EUR\",\n  \"flavors\": { \"nano\": 0.1, }\n}", "line 3")]
    public void BadList_IsRefused_NamingTheFlagAndTheLineOrField(string text, string expected)
    {
        var error = Assert.Throws<NuageException>(() => PriceList.Parse("/etc/nuage/prices.json", text));

        Assert.Equal(ErrorCodes.InvalidOption, error.Code);
        Assert.Contains(error.Errors, e => e.Field == UsageOptions.PricesFlag && e.Message.Contains(expected, StringComparison.Ordinal));
    }
}

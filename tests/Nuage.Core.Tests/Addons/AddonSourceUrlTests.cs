using Nuage.Core.Addons;
using Nuage.Core.Errors;

namespace Nuage.Core.Tests.Addons;

public sealed class AddonSourceUrlTests
{
    [Theory]
    [InlineData("postgres://app:s3cret@db.example:6543/shop", "postgresql", "db.example", 6543, "app", "s3cret", "shop")]
    [InlineData("postgresql://app:p%40ss@10.0.0.5/shop", "postgresql", "10.0.0.5", 5432, "app", "p@ss", "shop")]
    [InlineData("mysql://root:pw@maria.example/blog", "mysql", "maria.example", 3306, "root", "pw", "blog")]
    [InlineData("mariadb://root:pw@maria.example:3307/blog", "mysql", "maria.example", 3307, "root", "pw", "blog")]
    [InlineData("redis://:pw@cache.example:6380/2", "redis", "cache.example", 6380, "", "pw", "2")]
    [InlineData("redis://cache.example", "redis", "cache.example", 6379, "", "", "0")]
    public void Parse_AcceptedUrls_GiveTypeHostPortUserPasswordDatabase(string url, string type, string host, int port, string user, string password, string database)
    {
        var parsed = AddonSourceUrl.Parse("from", url);

        Assert.Equal(new AddonSourceUrl(type, host, port, user, password, database), parsed);
    }

    [Theory]
    [InlineData("ftp://u:topsecret@host/db", "scheme \"ftp\"")]
    [InlineData("rediss://:topsecret@host:6380", "TLS schemes")]
    [InlineData("postgres://host/db", "has no user")]
    [InlineData("postgres://u:topsecret@host", "has no database")]
    [InlineData("redis://:topsecret@host/99", "database number 0-15")]
    [InlineData("u:topsecret@nohost", "is not a URL")]
    public void Parse_RefusedUrls_NameTheFieldAndProblem_NeverThePassword(string url, string problem)
    {
        var error = Assert.Throws<NuageException>(() => AddonSourceUrl.Parse("from", url));

        Assert.Equal(ErrorCodes.AddonImportInvalid, error.Code);
        var field = Assert.Single(error.Errors);
        Assert.Equal("from", field.Field);
        Assert.Contains(problem, field.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", field.Value ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_HidesThePasswordOnly()
    {
        Assert.Equal("postgresql://app:***@db.example:5432/shop", AddonSourceUrl.Parse("from", "postgres://app:s3cret@db.example/shop").Redacted);
        Assert.Equal("redis://:***@cache:6379/0", AddonSourceUrl.Parse("from", "redis://:pw@cache").Redacted);
        Assert.Equal("mysql://u:***@h/db", AddonSourceUrl.RedactRaw("mysql://u:p@ss@h/db"));
    }
}

using Nuage.Core.Auth;
using Nuage.Server.Oidc;

namespace Nuage.Server.Tests.Oidc;

public sealed class OidcOptionsTests
{
    [Theory]
    [InlineData("/nuage/acme-admins=acme:admin", "/nuage/acme-admins", "acme", Role.Admin)]
    [InlineData("nuage-developer=beta:developer", "nuage-developer", "beta", Role.Developer)]
    [InlineData("cn=ops,ou=groups=acme:viewer", "cn=ops,ou=groups", "acme", Role.Viewer)]
    public void GroupRole_WellFormed_IsParsed_SplittingAtTheLastEquals(string value, string group, string org, Role role)
    {
        Assert.Equal(new OidcGroupRole(group, org, role), OidcOptions.ParseGroupRole(value));
    }

    [Theory]
    [InlineData("admins=acme:owner")]
    [InlineData("admins=Acme:admin")]
    [InlineData("admins=acme")]
    [InlineData("=acme:admin")]
    [InlineData("admins")]
    [InlineData(" admins=acme:admin")]
    public void GroupRole_Malformed_IsRefusedByValidate_NamingTheFlagAndTheValue(string value)
    {
        var options = OidcOptions.From(["https://sso.example.test/realms/acme"], ["nuage-cli"], [value]);

        var error = Assert.Single(options.Validate());

        Assert.Equal(OidcOptions.GroupRoleFlag, error.Field);
        Assert.Equal(value, error.Value);
        Assert.Contains("GROUP=ORG:ROLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupRole_WithoutAnyIssuer_IsRefused()
    {
        var error = Assert.Single(OidcOptions.From([], [], ["admins=acme:admin"]).Validate());

        Assert.Equal(OidcOptions.GroupRoleFlag, error.Field);
        Assert.Contains(OidcOptions.IssuerFlag, error.Message, StringComparison.Ordinal);
    }
}

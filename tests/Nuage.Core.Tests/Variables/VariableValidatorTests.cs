using Nuage.Core.Errors;
using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class VariableValidatorTests
{
    private readonly VariableValidator _validator = new(VariableRegistry.Default, HostVersions.Of(("php", ["8.2.7", "8.3.1"])));

    private static KeyValuePair<string, string> Set(string name, string value) => new(name, value);

    [Fact]
    public void ValidateChanges_BadChoice_ReadsLikeTheReference()
    {
        var result = _validator.ValidateChanges("node", [Set("CC_WORKER_RESTART", "sometimes")]);
        Assert.Equal(["CC_WORKER_RESTART: \"sometimes\" is not accepted; use one of: always, on-failure, no"], result.ErrorLines);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new FieldError("CC_WORKER_RESTART", "sometimes", "\"sometimes\" is not accepted; use one of: always, on-failure, no"), error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void ValidateChanges_KnownVariableEmpty_IsDefinedButEmpty(string value)
    {
        var result = _validator.ValidateChanges("php", [Set("CC_COMPOSER_VERSION", value)]);
        Assert.Equal(["CC_COMPOSER_VERSION: defined but empty"], result.ErrorLines);
    }

    [Fact]
    public void ValidateChanges_FourBadVariables_ReportsExactlyFourErrorsAtOnce()
    {
        var result = _validator.ValidateChanges("php",
        [
            Set("CC_WORKER_RESTART", "on-failur"),
            Set("CC_COMPOSER_VERSION", ""),
            Set("CC_WORKER_RESTART_DELAY", "-5"),
            Set("CC_CACHE_DEPENDENCIES", "maybe"),
            Set("CC_RUN_COMMAND", "php -S 0.0.0.0:$PORT"),
        ]);

        Assert.Equal(
        [
            "CC_WORKER_RESTART: \"on-failur\" is not accepted; use one of: always, on-failure, no",
            "CC_COMPOSER_VERSION: defined but empty",
            "CC_WORKER_RESTART_DELAY: \"-5\" is not accepted; use a whole number from 0 to 3600",
            "CC_CACHE_DEPENDENCIES: \"maybe\" is not accepted; use one of: true: 1, true, yes, on, enable, enabled; false: 0, false, no, off, disable, disabled",
        ], result.ErrorLines);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void ValidateEffective_FourBadVariables_ReportsExactlyFourErrorsAndThrowsThemTogether()
    {
        var env = new Dictionary<string, string>
        {
            ["CC_WORKER_RESTART"] = "sometimes",
            ["CC_COMPOSER_VERSION"] = "",
            ["CC_WORKER_RESTART_DELAY"] = "99999",
            ["CC_TROUBLESHOOT"] = "perhaps",
            ["DATABASE_URL"] = "postgres://x",
        };

        var result = _validator.ValidateEffective("php", env);

        Assert.Equal(4, result.Errors.Count);
        Assert.Equal(["CC_COMPOSER_VERSION", "CC_TROUBLESHOOT", "CC_WORKER_RESTART", "CC_WORKER_RESTART_DELAY"], result.Errors.Select(e => e.Field));
        var thrown = Assert.Throws<NuageException>(result.ThrowIfInvalid);
        Assert.Equal(ErrorKind.Invalid, thrown.Kind);
        Assert.Equal("invalid_variable", thrown.Code);
        Assert.Equal(4, thrown.Errors.Count);
    }

    [Theory]
    [InlineData("PORT", "3000")]
    [InlineData("INSTANCE_NUMBER", "1")]
    [InlineData("CC_DEPLOYMENT_ID", "abc")]
    [InlineData("CC_REVERSE_PROXY_IPS", "10.0.0.1")]
    public void ValidateChanges_PlatformVariable_IsRefused(string name, string value)
    {
        var result = _validator.ValidateChanges("node", [Set(name, value)]);
        Assert.Equal([$"{name}: \"{value}\" cannot be set; the platform injects this variable into each instance"], result.ErrorLines);
    }

    [Fact]
    public void ValidateChanges_UnknownCcTypo_IsAcceptedWithADidYouMean()
    {
        var result = _validator.ValidateChanges("php", [Set("CC_PHP_VERSON", "8.3")]);
        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("CC_PHP_VERSION", warning.Suggestion);
        Assert.Equal("CC_PHP_VERSON: not a Nuage variable; did you mean CC_PHP_VERSION?", warning.ToString());
    }

    [Fact]
    public void ValidateChanges_UnknownCcNameWithNothingClose_IsAcceptedWithAPlainWarning()
    {
        var result = _validator.ValidateChanges("php", [Set("CC_MY_FEATURE_FLAG", "on")]);
        Assert.True(result.IsValid);
        Assert.Equal(["CC_MY_FEATURE_FLAG: not a Nuage variable; it is passed to the app unchanged"], result.WarningLines);
    }

    [Fact]
    public void ValidateChanges_UsersOwnVariable_IsAcceptedSilently()
    {
        var result = _validator.ValidateChanges("php", [Set("DATABASE_URL", ""), Set("API_KEY", "s3cret")]);
        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void ValidateChanges_RecognisedUnsupported_IsAcceptedWithAWarning()
    {
        var result = _validator.ValidateChanges("node", [Set("CC_JAVA_VERSION", "21")]);
        Assert.True(result.IsValid);
        Assert.Equal(["CC_JAVA_VERSION: recognised Clever Cloud variable that Nuage does not support yet; it has no effect"], result.WarningLines);
    }

    [Fact]
    public void ValidateChanges_DeprecatedAlias_IsAcceptedWithAWarningNamingTheNewName()
    {
        var result = _validator.ValidateChanges("node", [Set("IGNORE_FROM_BUILDCACHE", "node_modules/.cache")]);
        Assert.True(result.IsValid);
        var warning = result.Warnings.First();
        Assert.Equal("IGNORE_FROM_BUILDCACHE: deprecated name; use CC_IGNORE_FROM_BUILDCACHE instead", warning.ToString());
        Assert.Equal("CC_IGNORE_FROM_BUILDCACHE", warning.Suggestion);
    }

    [Fact]
    public void ValidateChanges_VariableOfAnotherRuntime_IsAcceptedWithAWarning()
    {
        var result = _validator.ValidateChanges("node", [Set("CC_PYTHON_MODULE", "app.server:app")]);
        Assert.True(result.IsValid);
        Assert.Equal(["CC_PYTHON_MODULE: applies to python apps only; it has no effect on a node app"], result.WarningLines);
    }

    [Theory]
    [InlineData("MY-VAR")]
    [InlineData("1ABC")]
    [InlineData("A B")]
    [InlineData("")]
    public void ValidateChanges_InvalidName_IsRefused(string name)
    {
        var result = _validator.ValidateChanges(null, [Set(name, "x")]);
        Assert.Equal($"{name}: not a valid variable name; use letters, digits and _, not starting with a digit", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ValidateChanges_IndexedMember_IsValidatedWithTheFamilyType()
    {
        var result = _validator.ValidateChanges("node", [Set("CC_HEALTH_CHECK_PATH_1", "health"), Set("CC_HEALTH_CHECK_PATH_0", "/ok")]);
        Assert.Equal(["CC_HEALTH_CHECK_PATH_1: \"health\" is not accepted; use a URL path starting with / and without spaces, at most 2048 characters"], result.ErrorLines);
    }

    [Fact]
    public void ValidateChanges_AppFolderEscapingTheRelease_IsRefused()
    {
        var result = _validator.ValidateChanges("node", [Set("APP_FOLDER", "../other")]);
        Assert.Equal(["APP_FOLDER: \"../other\" is not accepted; use a relative path inside the release (no leading /, no .. segment, no backslash)"], result.ErrorLines);
    }

    [Fact]
    public void ValidateEffective_CustomBuildToolWithoutCommand_IsRefused()
    {
        var result = _validator.ValidateEffective("node", new Dictionary<string, string> { ["CC_NODE_BUILD_TOOL"] = "Custom" });
        Assert.Equal(["CC_CUSTOM_BUILD_TOOL: required when CC_NODE_BUILD_TOOL is custom"], result.ErrorLines);
    }

    [Fact]
    public void ValidateEffective_CustomBuildToolWithCommand_IsValid()
    {
        var result = _validator.ValidateEffective("node", new Dictionary<string, string>
        {
            ["CC_NODE_BUILD_TOOL"] = "custom",
            ["CC_CUSTOM_BUILD_TOOL"] = "pnpm install && pnpm build",
        });
        Assert.True(result.IsValid);
    }

    [Fact]
    public void ValidateEffective_EmptyConfiguration_IsValid() =>
        Assert.True(_validator.ValidateEffective("static", new Dictionary<string, string>()).IsValid);

    [Fact]
    public void ErrorMessage_LongValue_IsShortenedButFieldValueKeepsItWhole()
    {
        var raw = new string('x', 200);
        var error = Assert.Single(_validator.ValidateChanges(null, [Set("CC_TASK", raw)]).Errors);
        Assert.Equal(raw, error.Value);
        Assert.StartsWith($"\"{new string('x', 80)}…\" is not accepted", error.Message, StringComparison.Ordinal);
    }
}

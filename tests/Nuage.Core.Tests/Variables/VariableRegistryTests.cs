using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class VariableRegistryTests
{
    private static readonly VariableRegistry Registry = VariableRegistry.Default;

    public static TheoryData<string> SupportedNames => new(
        "CC_RUN_COMMAND", "CC_PRE_BUILD_HOOK", "CC_POST_BUILD_HOOK", "CC_PRE_RUN_HOOK", "CC_RUN_SUCCEEDED_HOOK", "CC_RUN_FAILED_HOOK",
        "CC_HEALTH_CHECK_PATH", "CC_WORKER_COMMAND", "CC_WORKER_RESTART", "CC_WORKER_RESTART_DELAY", "CC_CACHE_DEPENDENCIES", "CC_TASK",
        "APP_FOLDER", "CC_DISABLE_GIT_SUBMODULES", "CC_TROUBLESHOOT", "CC_NODE_BUILD_TOOL", "CC_CUSTOM_BUILD_TOOL", "CC_NODE_DEV_DEPENDENCIES",
        "CC_NODE_VERSION", "CC_PYTHON_VERSION", "CC_PYTHON_MODULE", "CC_PIP_REQUIREMENTS_FILE", "CC_PHP_VERSION",
        "CC_DOTNET_PROJ", "CC_DOTNET_PROFILE", "CC_DOTNET_TFM", "CC_GO_PKG");

    private static readonly string[] Platform =
    [
        "PORT", "INSTANCE_NUMBER", "INSTANCE_ID", "INSTANCE_TYPE", "APP_ID", "APP_HOME",
        "CC_DEPLOYMENT_ID", "CC_COMMIT_ID", "CC_APP_NAME", "CC_REVERSE_PROXY_IPS",
    ];

    public static TheoryData<string> PlatformNames => new(Platform);

    [Theory]
    [MemberData(nameof(SupportedNames))]
    public void SupportedVariable_IsRegisteredAsSupportedAndWritable(string name)
    {
        var definition = Registry.Get(name);
        Assert.NotNull(definition);
        Assert.Equal(VariableStatus.Supported, definition.Status);
        Assert.False(definition.ReadOnly);
    }

    [Theory]
    [MemberData(nameof(PlatformNames))]
    public void PlatformVariable_IsReadOnlyAndNotSecret(string name)
    {
        var definition = Registry.Get(name);
        Assert.NotNull(definition);
        Assert.True(definition.ReadOnly);
        Assert.False(Registry.IsSecret(name));
    }

    [Fact]
    public void ReadOnlyVariables_AreExactlyThePlatformOnes() =>
        Assert.Equal(Platform.Order(), Registry.All.Where(d => d.ReadOnly).Select(d => d.Name).Order());

    [Fact]
    public void Registry_HoldsRecognisedUnsupportedCleverCloudVariables()
    {
        var unsupported = Registry.All.Where(d => d.Status == VariableStatus.RecognisedUnsupported).Select(d => d.Name).ToList();
        Assert.Contains("CC_JAVA_VERSION", unsupported);
        Assert.Contains("CC_SSH_PRIVATE_KEY", unsupported);
        Assert.Contains("CC_PGPOOL_NUM_INIT_CHILDREN", unsupported);
        Assert.True(unsupported.Count > 100, $"only {unsupported.Count} recognised-unsupported variables");
    }

    [Fact]
    public void EveryDefinition_HasADescriptionAndAConsistentDefault()
    {
        Assert.All(Registry.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Description), d.Name);
            if (d.DefaultText is { } defaultText)
            {
                Assert.True(d.Type.TryParseBoxed(defaultText, HostVersions.None, out _), $"{d.Name}: default {defaultText} does not parse");
            }
        });
    }

    [Fact]
    public void Find_IndexedMember_ResolvesToTheFamilyWithItsIndex()
    {
        var match = Registry.Find("CC_WORKER_COMMAND_12");
        Assert.NotNull(match);
        Assert.Same(KnownVariables.WorkerCommand, match.Definition);
        Assert.Equal(12, match.Index);
    }

    [Theory]
    [InlineData("CC_WORKER_COMMAND_01")]
    [InlineData("CC_WORKER_COMMAND_1000")]
    [InlineData("CC_WORKER_RESTART_1")]
    [InlineData("cc_worker_command")]
    public void Find_NotARegisteredNameOrIndex_IsNull(string name) => Assert.Null(Registry.Find(name));

    [Fact]
    public void Find_DeprecatedAlias_ResolvesToTheNewName()
    {
        var match = Registry.Find("IGNORE_FROM_BUILDCACHE");
        Assert.NotNull(match);
        Assert.True(match.IsAlias);
        Assert.Equal("CC_IGNORE_FROM_BUILDCACHE", match.Definition.Name);
    }

    [Theory]
    [InlineData("CC_RUN_COMMAND", false)]
    [InlineData("CC_WORKER_COMMAND_3", false)]
    [InlineData("PORT", false)]
    [InlineData("CC_SSH_PRIVATE_KEY", true)]
    [InlineData("CC_HTTP_BASIC_AUTH_2", true)]
    [InlineData("DATABASE_URL", true)]
    [InlineData("CC_SOMETHING_UNKNOWN", true)]
    public void IsSecret_RegisteredNonSecretAreNot_UnknownAndSecretOnesAre(string name, bool secret) =>
        Assert.Equal(secret, Registry.IsSecret(name));

    [Theory]
    [InlineData("CC_PHP_VERSON", "CC_PHP_VERSION")]
    [InlineData("CC_WORKER_RESTRAT", "CC_WORKER_RESTART")]
    [InlineData("CC_HEALTHCHECK_PATH", "CC_HEALTH_CHECK_PATH")]
    [InlineData("CC_WORKER_COMAND_2", "CC_WORKER_COMMAND_2")]
    [InlineData("cc_task", "CC_TASK")]
    [InlineData("CC_NODE_BUILDTOOL", "CC_NODE_BUILD_TOOL")]
    public void Suggest_CloseTypo_ProposesTheRegisteredName(string typo, string expected) =>
        Assert.Equal(expected, Registry.Suggest(typo));

    [Theory]
    [InlineData("CC_MY_OWN_SETTING")]
    [InlineData("DATABASE_URL")]
    [InlineData("CC_X")]
    public void Suggest_NothingClose_IsNull(string name) => Assert.Null(Registry.Suggest(name));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "abd", 1)]
    [InlineData("abc", "acb", 1)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_IsOptimalStringAlignment(string a, string b, int expected)
    {
        Assert.Equal(expected, VariableRegistry.Distance(a, b));
        Assert.Equal(expected, VariableRegistry.Distance(b, a));
    }

    [Fact]
    public void Constructor_DuplicateName_Throws() =>
        Assert.Throws<ArgumentException>(() => new VariableRegistry([KnownVariables.RunCommand, KnownVariables.RunCommand]));
}

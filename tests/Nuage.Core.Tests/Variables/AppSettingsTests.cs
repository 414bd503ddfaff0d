using Nuage.Core.Errors;
using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class AppSettingsTests
{
    private readonly VariableValidator _validator = new(VariableRegistry.Default, HostVersions.Of(("node", ["18.19.0", "20.11.1"])));

    [Fact]
    public void From_NothingSet_GivesTheRegisteredDefaults()
    {
        var settings = AppSettings.From(new Dictionary<string, string>(), _validator);

        Assert.Equal(WorkerRestartPolicy.OnFailure, settings.WorkerRestart);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.WorkerRestartDelay);
        Assert.False(settings.CacheDependencies);
        Assert.False(settings.IsTask);
        Assert.False(settings.DisableGitSubmodules);
        Assert.False(settings.Troubleshoot);
        Assert.Equal(".", settings.AppFolder);
        Assert.Equal(NodeBuildTool.Npm, settings.NodeBuildTool);
        Assert.Equal(DevDependencies.Ignore, settings.NodeDevDependencies);
        Assert.Equal(2, settings.ComposerVersion);
        Assert.Equal("Release", settings.DotnetProfile);
        Assert.Equal("requirements.txt", settings.PipRequirementsFile);
        Assert.Null(settings.RunCommand);
        Assert.Null(settings.GoBuildTool);
        Assert.Null(settings.NodeVersion);
        Assert.Empty(settings.WorkerCommands);
        Assert.Empty(settings.HealthCheckPaths);
    }

    [Fact]
    public void From_ValuesSet_GivesTypedValues()
    {
        var settings = AppSettings.From(new Dictionary<string, string>
        {
            ["CC_RUN_COMMAND"] = "  node server.js ",
            ["CC_PRE_BUILD_HOOK"] = "./pre.sh",
            ["CC_POST_BUILD_HOOK"] = "./post.sh",
            ["CC_PRE_RUN_HOOK"] = "./prerun.sh",
            ["CC_RUN_SUCCEEDED_HOOK"] = "./ok.sh",
            ["CC_RUN_FAILED_HOOK"] = "./ko.sh",
            ["CC_WORKER_RESTART"] = "ALWAYS",
            ["CC_WORKER_RESTART_DELAY"] = "30",
            ["CC_CACHE_DEPENDENCIES"] = "Yes",
            ["CC_TASK"] = "on",
            ["APP_FOLDER"] = "./services/api/",
            ["CC_DISABLE_GIT_SUBMODULES"] = "disabled",
            ["CC_NODE_BUILD_TOOL"] = "npm-ci",
            ["CC_NODE_VERSION"] = "20",
            ["CC_GO_BUILD_TOOL"] = "gobuild",
        }, _validator);

        Assert.Equal("node server.js", settings.RunCommand);
        Assert.Equal(("./pre.sh", "./post.sh", "./prerun.sh", "./ok.sh", "./ko.sh"),
            (settings.PreBuildHook, settings.PostBuildHook, settings.PreRunHook, settings.RunSucceededHook, settings.RunFailedHook));
        Assert.Equal(WorkerRestartPolicy.Always, settings.WorkerRestart);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.WorkerRestartDelay);
        Assert.True(settings.CacheDependencies);
        Assert.True(settings.IsTask);
        Assert.Equal("services/api", settings.AppFolder);
        Assert.True(settings.DisableGitSubmodules);
        Assert.Equal(NodeBuildTool.NpmCi, settings.NodeBuildTool);
        Assert.Equal("20.11.1", settings.NodeVersion);
        Assert.Equal(GoBuildTool.GoBuild, settings.GoBuildTool);
        Assert.True(settings.IsSet(KnownVariables.RunCommand));
        Assert.False(settings.IsSet(KnownVariables.PythonModule));
    }

    [Fact]
    public void IndexedFamily_IsOrderedBareNameFirstThenByNumber()
    {
        var settings = AppSettings.From(new Dictionary<string, string>
        {
            ["CC_WORKER_COMMAND_10"] = "ten",
            ["CC_WORKER_COMMAND_2"] = "two",
            ["CC_WORKER_COMMAND"] = "bare",
            ["CC_WORKER_COMMAND_0"] = "zero",
            ["CC_HEALTH_CHECK_PATH_1"] = "/b",
            ["CC_HEALTH_CHECK_PATH_0"] = "/a",
        }, _validator);

        Assert.Equal(["bare", "zero", "two", "ten"], settings.WorkerCommands);
        Assert.Equal(["/a", "/b"], settings.HealthCheckPaths);
    }

    [Fact]
    public void DeprecatedAlias_IsReadWhenTheNewNameIsAbsent_AndIgnoredWhenBothAreSet()
    {
        var definition = VariableRegistry.Default.Get("CC_IGNORE_FROM_BUILDCACHE") as VariableDefinition<string>;
        Assert.NotNull(definition);

        var aliasOnly = AppSettings.From(new Dictionary<string, string> { ["IGNORE_FROM_BUILDCACHE"] = "old" }, _validator);
        Assert.Equal("old", aliasOnly.Get(definition));

        var both = AppSettings.From(new Dictionary<string, string> { ["IGNORE_FROM_BUILDCACHE"] = "old", ["CC_IGNORE_FROM_BUILDCACHE"] = "new" }, _validator);
        Assert.Equal("new", both.Get(definition));
    }

    [Fact]
    public void From_InvalidValues_ThrowsWithEveryError()
    {
        var thrown = Assert.Throws<NuageException>(() => AppSettings.From(new Dictionary<string, string>
        {
            ["CC_TASK"] = "sure",
            ["CC_WORKER_RESTART_DELAY"] = "soon",
        }, _validator));

        Assert.Equal("invalid_variable", thrown.Code);
        Assert.Equal(["CC_TASK", "CC_WORKER_RESTART_DELAY"], thrown.Errors.Select(e => e.Field));
    }

    [Fact]
    public void From_PlatformVariablesInTheEnvironment_AreNotUserSettings()
    {
        var settings = AppSettings.From(new Dictionary<string, string> { ["PORT"] = "8080" }, _validator);
        Assert.False(settings.IsSet(KnownVariables.Port));
    }

    [Fact]
    public void Get_WithoutDefaultAndUnset_Throws()
    {
        var settings = AppSettings.From(new Dictionary<string, string>(), _validator);
        Assert.Throws<InvalidOperationException>(() => settings.Get(KnownVariables.RunCommand));
        Assert.False(settings.TryGet(KnownVariables.RunCommand, out _));
    }
}

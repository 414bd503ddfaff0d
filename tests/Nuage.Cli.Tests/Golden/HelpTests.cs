using Nuage.Cli.Hosting;

namespace Nuage.Cli.Tests.Golden;

/// <summary>The CLI's help is part of its interface: pinned by committed expectation files.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("root", new string[0])]
    [InlineData("deploy", new[] { "deploy" })]
    [InlineData("env", new[] { "env" })]
    [InlineData("logs", new[] { "logs" })]
    [InlineData("scale", new[] { "scale" })]
    [InlineData("apply", new[] { "apply" })]
    [InlineData("export", new[] { "export" })]
    [InlineData("import-heroku", new[] { "import", "heroku" })]
    [InlineData("import-clever", new[] { "import", "clever" })]
    [InlineData("auth-provider-add", new[] { "auth", "provider", "add" })]
    [InlineData("addon-link", new[] { "addon", "link" })]
    [InlineData("addon-import", new[] { "addon", "import" })]
    public async Task Help_MatchesTheCommittedText(string name, string[] command)
    {
        var output = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = new StringWriter(),
            WorkingDirectory = Path.GetTempPath(),
            ConfigDirectory = Path.Combine(Path.GetTempPath(), "nuage-help-test"),
        };

        var code = await CliApp.RunAsync(env, [.. command, "--help"], CancellationToken.None);

        Assert.Equal(0, code);
        GoldenFile.Verify($"help-{name}.txt", output.ToString().Replace("testhost", "nuage", StringComparison.Ordinal));
    }
}

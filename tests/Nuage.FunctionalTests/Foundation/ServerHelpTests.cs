using System.CommandLine;
using System.Text.RegularExpressions;
using Nuage.Cli;
using Nuage.Cli.Hosting;

namespace Nuage.FunctionalTests.Foundation;

/// <summary>
/// <c>nuage server</c>'s flags are its interface: the help text is pinned by a committed file, and every flag is
/// documented in docs/operations.md.
/// </summary>
public sealed partial class ServerHelpTests
{
    // A row of the options table: | `--flag VALUE` | default | meaning |
    [GeneratedRegex("^\\| `(--[a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex DocumentedFlag();

    [Fact]
    public async Task ServerHelp_MatchesTheCommittedText()
    {
        var output = new StringWriter();
        var env = HelpEnvironment(output);
        var root = CliApp.CreateRoot(new CliContext(env));
        root.Subcommands.Add(ServerCommand.Create(env));

        var code = await CliApp.RunAsync(root, env, ["server", "--help"], CancellationToken.None);

        Assert.Equal(0, code);
        var help = output.ToString().Replace("testhost", "nuage", StringComparison.Ordinal);
        var path = Path.Combine(RepoRoot(), "tests", "Nuage.FunctionalTests", "Foundation", "server-help.txt");
        if (Environment.GetEnvironmentVariable("NUAGE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, help);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with NUAGE_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), help);
    }

    [Fact]
    public async Task ServerHelp_FromTheServerOnlyRoot_IsTheSameAsFromTheFullCli()
    {
        // 'nuage server' builds a root with only its own command (the CLI's verbs stay unloaded in the platform process).
        var full = new StringWriter();
        var fullEnv = HelpEnvironment(full);
        var fullRoot = CliApp.CreateRoot(new CliContext(fullEnv));
        fullRoot.Subcommands.Add(ServerCommand.Create(fullEnv));
        var lean = new StringWriter();
        var leanEnv = HelpEnvironment(lean);
        string[] args = ["server", "--help"];

        Assert.Equal(0, await CliApp.RunAsync(fullRoot, fullEnv, args, CancellationToken.None));
        Assert.Equal(0, await CliApp.RunAsync(NuageCommandLine.CreateRoot(leanEnv, args), leanEnv, args, CancellationToken.None));
        Assert.Single(NuageCommandLine.CreateRoot(leanEnv, args).Subcommands);
        Assert.Equal(full.ToString(), lean.ToString());
    }

    [Fact]
    public void EveryServerFlag_IsDocumentedInOperationsMd()
    {
        var env = HelpEnvironment(new StringWriter());
        var flags = ServerCommand.Create(env).Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        var documented = DocumentedFlag().Matches(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "operations.md")))
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.True(flags.Count >= 20, $"only {flags.Count} flags found on 'nuage server'");
        var missing = flags.Where(f => !documented.Contains(f)).ToList();
        Assert.True(missing.Count == 0, "flags of 'nuage server' missing from docs/operations.md: " + string.Join(", ", missing));
        var stale = documented.Where(d => !flags.Contains(d)).ToList();
        Assert.True(stale.Count == 0, "docs/operations.md documents flags 'nuage server' does not have: " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData("--build-memory-mib", "4")]
    [InlineData("--max-upload-bytes", "0")]
    [InlineData("--keep-releases", "0")]
    [InlineData("--log-retention-mib", "0")]
    [InlineData("--mcp-rate-window-seconds", "0")]
    public async Task BadFlagValue_StopsTheServerWithExit2_NamingTheFlagUsersCanSet(string flag, string value)
    {
        var error = new StringWriter();
        var env = HelpEnvironment(new StringWriter()) with { Error = error };
        var data = Directory.CreateTempSubdirectory("nuage-flags-").FullName;
        try
        {
            string[] args = ["server", "--data", data, "--api", "127.0.0.1:0", "--http", "127.0.0.1:0", flag, value];
            var code = await CliApp.RunAsync(NuageCommandLine.CreateRoot(env, args), env, args, CancellationToken.None); // as Program runs it

            Assert.True(code == 2, $"exit {code}; stderr: {error}");
            Assert.Contains($"error: {flag}: ", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static CliEnvironment HelpEnvironment(StringWriter output) => new()
    {
        Out = output,
        Error = new StringWriter(),
        WorkingDirectory = Path.GetTempPath(),
        ConfigDirectory = Path.Combine(Path.GetTempPath(), "nuage-help-test"),
    };

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nuage.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Nuage.slnx not found above " + AppContext.BaseDirectory);
    }
}

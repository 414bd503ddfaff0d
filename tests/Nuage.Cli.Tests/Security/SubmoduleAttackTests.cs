using Nuage.Cli.Git;
using Nuage.Cli.Hosting;
using Nuage.Cli.Tests.Git;

namespace Nuage.Cli.Tests.Security;

/// <summary>
/// A pusher controls <c>.gitmodules</c>, and the push hook packs submodules as the server's user (root): each test
/// pushes a real commit to a real bare repository and packs it the way the hook does, then checks that nothing
/// outside the remote was created or changed and nothing local was read.
/// </summary>
public sealed class SubmoduleAttackTests : IDisposable
{
    private readonly TempGit _git = new();

    public void Dispose() => _git.Dispose();

    [Fact]
    public async Task Push_SubmoduleNameWithDotDot_IsRefusedAndLeavesTheRepositoryItNamesAlone()
    {
        var victim = _git.Path("victim.git");
        var victimWork = _git.Repo("victim-work", ("db.txt", "precious\n"));
        TempGit.Run(_git.Root, "init", "--quiet", "--bare", victim);
        TempGit.Run(victimWork, "push", "--quiet", victim, "main");
        var before = TempGit.Run(victim, "rev-parse", "main").Trim();
        var attacker = _git.Repo("attacker-lib", ("x.txt", "overwritten\n"));
        using var daemon = await GitDaemon.StartAsync(_git.Root);
        var (bare, commit) = PushAppWithSubmodule(attacker, "vendor/lib", daemon.Url("attacker-lib"), name: "../../victim.git");
        var policy = new SubmodulePolicy { AllowedHosts = [daemon.HostPort] };

        var error = await Assert.ThrowsAsync<CliException>(() => PackAsync(bare, commit, policy));

        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Contains("\"../../victim.git\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"..\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, TempGit.Run(victim, "rev-parse", "main").Trim());
    }

    /// <summary>
    /// git itself records gitlinks only at clean paths, so the path rule (which also guards `git submodule`-style
    /// tools reading .gitmodules) is checked on the declared config directly.
    /// </summary>
    [Theory]
    [InlineData("vendor/../../escape")]
    [InlineData("/etc/escape")]
    [InlineData("vendor/.git/hooks")]
    [InlineData("vendor/.GIT. /hooks")]
    public void Validate_SubmodulePathOutsideTheTree_IsRefusedNamingThePath(string path)
    {
        var error = Assert.Throws<CliException>(() => new SubmoduleConfig("lib", path, "https://example.org/lib.git").Validate());

        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Contains($"path \"{path}\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("file://{0}")]
    [InlineData("ext::sh -c cat% {0}/secret.txt")]
    public async Task Push_SubmoduleUrlToALocalRepository_IsRefusedAndNothingOfItIsPacked(string urlFormat)
    {
        var rootOnly = _git.Repo("root-only", ("secret.txt", "ROOT ONLY\n"));
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, rootOnly);
        var (bare, commit) = PushAppWithSubmodule(rootOnly, "vendor/lib", url);
        var policy = new SubmodulePolicy { Server = new Uri("http://127.0.0.1:7070"), AllowedHosts = ["github.com"] };

        var error = await Assert.ThrowsAsync<CliException>(() => PackAsync(bare, commit, policy));

        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains("Accepted:", error.Message, StringComparison.Ordinal);
        Assert.Contains("github.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_SubmoduleOnAHostTheOperatorDidNotAllow_IsRefused()
    {
        var lib = _git.Repo("lib", ("lib.txt", "lib\n"));
        using var daemon = await GitDaemon.StartAsync(_git.Root);
        var (bare, commit) = PushAppWithSubmodule(lib, "vendor/lib", daemon.Url("lib"));

        var error = await Assert.ThrowsAsync<CliException>(() => PackAsync(bare, commit, new SubmodulePolicy { AllowedHosts = ["example.org"] }));

        Assert.Contains($"host {daemon.HostPort} is not one the operator allows", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An app repository whose commit records <paramref name="source"/> as a submodule, pushed to a new bare remote.</summary>
    private (string Bare, string Commit) PushAppWithSubmodule(string source, string path, string url, string? name = null)
    {
        var app = _git.Repo("app-" + Guid.NewGuid().ToString("N")[..6], ("index.html", "app\n"));
        TempGit.AddSubmodule(app, source, path);
        TempGit.Run(app, "config", "-f", ".gitmodules", $"submodule.{path}.url", url);
        if (name is not null)
        {
            TempGit.Run(app, "config", "-f", ".gitmodules", "--rename-section", $"submodule.{path}", $"submodule.{name}");
        }

        var commit = TempGit.Commit(app, "add submodule");
        var bare = _git.Path("remote-" + Guid.NewGuid().ToString("N")[..6] + ".git");
        TempGit.Run(_git.Root, "init", "--quiet", "--bare", bare);
        TempGit.Run(app, "push", "--quiet", bare, "main");
        return (bare, commit);
    }

    private static async Task PackAsync(string bare, string commit, SubmodulePolicy policy)
    {
        var repository = await GitRepository.OpenBareAsync(bare, CancellationToken.None);
        using var plan = await ArchivePlan.CreateAsync(repository, commit, includeSubmodules: true, CancellationToken.None, policy);
        await SourceArchive.WriteTarAsync(plan, Stream.Null, CancellationToken.None);
    }
}

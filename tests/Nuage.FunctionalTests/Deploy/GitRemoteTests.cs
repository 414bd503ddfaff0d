using System.Net;
using System.Text.Json;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Git;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>The smart-HTTP git remote of each app, driven by the real git client against a real server.</summary>
public sealed class GitRemoteTests
{
    [Fact]
    public async Task Create_PrintsTheGitRemoteUrl()
    {
        await using var server = await RunningServer.StartAsync();

        var created = await server.Cli().RunAsync("create", "demo", "-t", "static");

        Assert.Equal(0, created.ExitCode);
        Assert.Contains($"git:  {server.Url}/git/demo.git", created.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_EmptyAppRemoteWithToken_Works()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");

        var clone = await GitClient.RunAsync(server.Scratch, "clone", GitClient.WithToken($"{server.Url}/git/demo.git", viewer), "cloned");

        Assert.True(clone.ExitCode == 0, clone.ToString());
        Assert.Contains("empty repository", clone.Error, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(server.Scratch, "cloned", ".git")));
    }

    [Fact]
    public async Task Request_WithoutToken_Is401WithABasicChallengeSoGitPrompts()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        using var http = server.Http(token: "");

        using var response = await http.GetAsync("git/demo.git/info/refs?service=git-receive-pack");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"nuage\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Push_WithoutToken_IsRefused()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var work = await WorkTreeAsync(server);

        var push = await GitClient.RunAsync(work, "push", $"{server.Url}/git/demo.git", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("could not read Username", push.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "git")) && Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "git"), "main", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Push_WithViewerToken_IsForbidden()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");
        var work = await WorkTreeAsync(server);

        var push = await GitClient.RunAsync(work, "push", GitClient.WithToken($"{server.Url}/git/demo.git", viewer), "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("403", push.Error, StringComparison.Ordinal);
        var audit = await PushAuditAsync(server);
        Assert.Equal(("refused", "demo"), (audit.Outcome, audit.Target));
    }

    /// <summary>The one audit entry a push leaves (docs/identity.md).</summary>
    private static async Task<Nuage.Core.Audit.AuditEntry> PushAuditAsync(RunningServer server)
    {
        var store = (Nuage.Core.State.IStateStore)server.Server.Services.GetService(typeof(Nuage.Core.State.IStateStore))!;
        var entries = new List<Nuage.Core.Audit.AuditEntry>();
        await foreach (var entry in store.Audit.ReadAllAsync(default))
        {
            entries.Add(entry);
        }

        return Assert.Single(entries, e => e.EntryPoint == "git");
    }

    [Fact]
    public async Task Push_ToUnknownApp_Is404()
    {
        await using var server = await RunningServer.StartAsync();
        var work = await WorkTreeAsync(server);

        var push = await GitClient.RunAsync(work, "push", GitClient.WithToken($"{server.Url}/git/nope.git", server.AdminToken), "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("not found", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WithDeveloperTokenToMain_DeploysAndShowsTheStagesAsRemoteLines()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var developer = await AuthTests.CreateTokenAsync(server, "developer");
        var work = await WorkTreeAsync(server);
        var commit = (await GitClient.OkAsync(work, "rev-parse", "HEAD")).Trim();

        var push = await GitClient.RunAsync(work, "push", GitClient.WithToken($"{server.Url}/git/demo.git", developer), "main");

        Assert.True(push.ExitCode == 0, push.ToString());
        var repository = Assert.Single(Directory.GetDirectories(Path.Combine(server.DataDirectory, "git"), "*.git"));
        Assert.Equal(commit, (await GitClient.OkAsync(repository, "rev-parse", "refs/heads/main")).Trim());

        // The post-receive hook ran 'nuage deploy' with the pusher's token; its output reached the pusher as remote: lines.
        Assert.True(push.Error.Contains("remote: ✓ unpack", StringComparison.Ordinal), push.ToString());
        Assert.Contains($"remote: Deployed demo ({commit[..7]}) in ", push.Error, StringComparison.Ordinal);
        using var http = server.Http();
        using var page = JsonDocument.Parse(await http.GetStringAsync("v1/apps/demo/deployments"));
        var item = Assert.Single(page.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(commit, item.GetProperty("commitId").GetString());
        Assert.Equal("first page", item.GetProperty("commitMessage").GetString());
        Assert.Equal("push", item.GetProperty("kind").GetString());
        Assert.Equal("succeeded", item.GetProperty("state").GetString());
        Assert.Equal(("success", "git push"), ((await PushAuditAsync(server)).Outcome, (await PushAuditAsync(server)).Action));
    }

    [Fact]
    public async Task Push_LargerThanTheApiBodyCap_IsAccepted()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAppAsync(server, "demo");
        var work = await WorkTreeAsync(server);
        await File.WriteAllBytesAsync(Path.Combine(work, "blob.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        await GitClient.OkAsync(work, "add", "blob.bin");
        await GitClient.OkAsync(work, "commit", "-q", "-m", "big");

        // A branch other than main/master: stored, no deployment.
        var push = await GitClient.RunAsync(work, "push", GitClient.WithToken($"{server.Url}/git/demo.git", server.AdminToken), "main:feature");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.DoesNotContain("Deploying", push.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("/deployments", push.Error, StringComparison.Ordinal);
    }

    private static async Task CreateAppAsync(RunningServer server, string name)
    {
        var created = await server.Cli().RunAsync("create", name, "-t", "static");
        Assert.True(created.ExitCode == 0, created.ToString());
    }

    private static async Task<string> WorkTreeAsync(RunningServer server)
    {
        var work = Path.Combine(server.Scratch, "work-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        await GitClient.OkAsync(work, "init", "-q", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(work, "index.html"), "<h1>hello</h1>\n");
        await GitClient.OkAsync(work, "add", "-A");
        await GitClient.OkAsync(work, "commit", "-q", "-m", "first page");
        return work;
    }
}

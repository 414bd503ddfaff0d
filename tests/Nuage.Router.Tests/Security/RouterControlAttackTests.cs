using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Router.Standalone;

namespace Nuage.Router.Tests.Security;

/// <summary>
/// The router process's control socket and snapshot file live under the data root: a link planted there must not redirect
/// the socket or the snapshot write, and the socket must be reachable by its owner only.
/// </summary>
public sealed class RouterControlAttackTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nuage-router-attack-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("nuage-router-outside-").FullName;

    private NuagePaths Paths => new(_root);

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public async Task SocketPathIsALink_RouterRefusesToStart_AndTheLinkTargetIsUntouched()
    {
        Directory.CreateDirectory(Paths.RouterRun);
        var target = Path.Combine(_outside, "victim");
        await File.WriteAllTextAsync(target, "keep me");
        File.CreateSymbolicLink(Paths.RouterSocket, target);

        var error = await Assert.ThrowsAsync<NuageException>(StartAsync);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task SocketPathIsALink_ClientRefusesToSend()
    {
        Directory.CreateDirectory(Paths.RouterRun);
        File.CreateSymbolicLink(Paths.RouterSocket, Path.Combine(_outside, "elsewhere.sock"));
        var error = await Assert.ThrowsAsync<NuageException>(() =>
            new RouterControlClient(Paths.RouterSocket).SendAsync(new RouterRequest(RouterOperations.Status), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketIsOwnerOnly_AndItsFolderToo()
    {
        await using var host = await StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Paths.RouterSocket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Paths.RouterRun));
    }

    [Fact]
    public async Task SnapshotFileIsALink_SavingReplacesTheLink_NotTheFileItPointsTo()
    {
        Directory.CreateDirectory(Paths.RouterRun);
        var target = Path.Combine(_outside, "victim.json");
        await File.WriteAllTextAsync(target, "keep me");
        var snapshotPath = Path.Combine(Paths.RouterRun, Paths.RouterSnapshotFileName);
        File.CreateSymbolicLink(snapshotPath, target);

        await using var host = await StartAsync();
        Assert.Empty(host.Router.Routes); // a link is never loaded as the snapshot
        var (reply, _) = await new RouterControlClient(Paths.RouterSocket).SendAsync(
            new RouterRequest(RouterOperations.Snapshot) { Snapshot = RouterProcessHostTests.Snapshot(1, 1) }, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(reply.Applied);
        Assert.Equal("keep me", await File.ReadAllTextAsync(target));
        Assert.Null(new FileInfo(snapshotPath).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(snapshotPath));
    }

    private Task<RouterProcessHost> StartAsync() =>
        RouterProcessHost.StartAsync(
            new RouterOptions { HttpEndpoints = ["127.0.0.1:0"] }, Paths, NullLoggerFactory.Instance, TimeProvider.System, RouterProcessHost.DefaultSpoolBytes, CancellationToken.None);
}

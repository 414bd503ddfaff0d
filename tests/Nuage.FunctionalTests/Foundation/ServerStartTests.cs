using Nuage.Core.Errors;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Hosting;

namespace Nuage.FunctionalTests.Foundation;

public sealed class ServerStartTests
{
    [Fact]
    public async Task FirstStart_CreatesKeyAndAdminTokenOwnerOnly_AndSecondStartDoesNotPrintItAgain()
    {
        using var dir = new TempDirectory();
        var options = new NuageServerOptions { DataDirectory = dir.Combine("data"), Api = "127.0.0.1:0", Http = "127.0.0.1:0" };

        string token;
        await using (var first = await NuageServer.StartAsync(options, CancellationToken.None))
        {
            token = first.InitialAdminToken!;
            Assert.StartsWith("nuage_", token, StringComparison.Ordinal);
            await first.StopAsync(CancellationToken.None);
        }

        await using var second = await NuageServer.StartAsync(options, CancellationToken.None);

        Assert.Null(second.InitialAdminToken);
        Assert.Equal(token + "\n", await File.ReadAllTextAsync(dir.Combine("data", "admin-token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("data", "admin-token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("data", "secret.key")));
        Assert.Equal(32, new FileInfo(dir.Combine("data", "secret.key")).Length);
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task BadOptions_AreAllReportedWithTheOptionName()
    {
        using var dir = new TempDirectory();
        var options = new NuageServerOptions
        {
            DataDirectory = dir.Path, Api = "nowhere", Http = "0.0.0.0:99999", Https = "example.com:443", TrustedProxies = ["10.0.0.0/8", "proxy.example.com"], Domain = "bad domain",
        };

        var error = await Assert.ThrowsAsync<NuageException>(() => NuageServer.StartAsync(options, CancellationToken.None));

        Assert.Equal(["--api", "--http", "--https", "--trusted-proxy", "--domain"], error.Errors.Select(e => e.Field));
        Assert.Equal("proxy.example.com", error.Errors[3].Value);
        Assert.Contains("IP:PORT", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_StoresConfigOwnerOnly_ThenCommandsWorkWithoutEnvironment()
    {
        await using var server = await RunningServer.StartAsync();
        var config = Path.Combine(server.Scratch, "login-config");
        var login = new Nuage.Cli.Hosting.CliEnvironment
        {
            Out = new StringWriter(),
            Error = new StringWriter(),
            WorkingDirectory = server.Scratch,
            ConfigDirectory = config,
        };

        var code = await Nuage.Cli.CliApp.RunAsync(login, ["login", "--url", server.Url, "--token", server.AdminToken], CancellationToken.None);
        var whoami = await Nuage.Cli.CliApp.RunAsync(login, ["whoami"], CancellationToken.None);
        var badLogin = await Nuage.Cli.CliApp.RunAsync(login with { ConfigDirectory = config + "2" }, ["login", "--url", server.Url, "--token", "nuage_wrong"], CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(0, whoami);
        Assert.Equal(4, badLogin);
        Assert.False(File.Exists(Path.Combine(config + "2", "config.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(config, "config.json")));
    }
}

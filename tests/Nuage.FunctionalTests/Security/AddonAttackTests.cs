using Nuage.FunctionalTests.Addons;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Security;

/// <summary>One server with two real PostgreSQL add-ons and a Redis add-on, shared by the attacks below.</summary>
public sealed class AddonAttackFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public Dictionary<string, string> First { get; private set; } = null!;

    public Dictionary<string, string> Second { get; private set; } = null!;

    public Dictionary<string, string> Cache { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync();
        await CreateAsync(Server, "first-db", "postgresql");
        await CreateAsync(Server, "second-db", "postgresql");
        await CreateAsync(Server, "cache", "redis");
        First = await CredentialsAsync(Server, "first-db");
        Second = await CredentialsAsync(Server, "second-db");
        Cache = await CredentialsAsync(Server, "cache");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Attacks on add-ons with network isolation on: authentication always required, credentials scoped, sandbox.</summary>
public sealed class AddonAttackTests(AddonAttackFixture fixture) : IClassFixture<AddonAttackFixture>
{
    [Fact]
    public async Task PostgreSql_WithoutOrWithWrongPassword_IsRefused()
    {
        var (empty, emptyOutput) = await PsqlAsync(fixture.First, "SELECT 1", password: string.Empty);
        Assert.True(empty != 0, emptyOutput);
        var (wrong, wrongOutput) = await PsqlAsync(fixture.First, "SELECT 1", password: "not-the-password");
        Assert.True(wrong != 0, wrongOutput);
        Assert.Contains("password authentication failed", wrongOutput, StringComparison.Ordinal);
        var (ok, okOutput) = await PsqlAsync(fixture.First, "SELECT 41 + 1");
        Assert.True(ok == 0 && okOutput.Contains("42", StringComparison.Ordinal), okOutput);
    }

    [Fact]
    public async Task Redis_WithoutPassword_IsRefused()
    {
        var (_, output) = await RunAsync("redis-cli", null, "-h", fixture.Cache["REDIS_HOST"], "-p", fixture.Cache["REDIS_PORT"], "SET", "k", "v");
        Assert.Contains("NOAUTH", output, StringComparison.Ordinal);
        var (_, authed) = await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = fixture.Cache["REDIS_PASSWORD"] },
            "-h", fixture.Cache["REDIS_HOST"], "-p", fixture.Cache["REDIS_PORT"], "PING");
        Assert.Contains("PONG", authed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneAddonsCredentials_DoNotOpenAnother()
    {
        Assert.NotEqual(fixture.First["POSTGRESQL_ADDON_PASSWORD"], fixture.Second["POSTGRESQL_ADDON_PASSWORD"]);
        var crossed = new Dictionary<string, string>(fixture.Second)
        {
            ["POSTGRESQL_ADDON_USER"] = fixture.First["POSTGRESQL_ADDON_USER"],
        };
        var (asFirstUser, output) = await PsqlAsync(crossed, "SELECT 1", password: fixture.First["POSTGRESQL_ADDON_PASSWORD"]);
        Assert.True(asFirstUser != 0, output);
        var (secondUserFirstPassword, output2) = await PsqlAsync(fixture.Second, "SELECT 1", password: fixture.First["POSTGRESQL_ADDON_PASSWORD"]);
        Assert.True(secondUserFirstPassword != 0, output2);
    }

    [Fact]
    public async Task AddonServer_CannotReadThePlatformsDataDirectory()
    {
        // The add-on's user is its database's superuser, so it can ask the server process to read any file it can see.
        var secretKey = Path.Combine(fixture.Server.DataDirectory, "secret.key");
        var database = Path.Combine(fixture.Server.DataDirectory, "nuage.db");
        foreach (var file in new[] { secretKey, database })
        {
            var (code, output) = await PsqlAsync(fixture.First, $"SELECT length(pg_read_binary_file('{file}'))");
            Assert.True(code != 0, output);
            Assert.Contains("No such file or directory", output, StringComparison.Ordinal); // not even visible in its sandbox
        }

        var (listed, listing) = await PsqlAsync(fixture.First, $"SELECT pg_ls_dir('{fixture.Server.DataDirectory}')");
        Assert.True(listed != 0 || !listing.Contains("secret.key", StringComparison.Ordinal), listing);
    }
}

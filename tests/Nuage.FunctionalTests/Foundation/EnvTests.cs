using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Foundation;

public sealed class EnvTests
{
    [Fact]
    public async Task SetVariable_IsStoredEncrypted_NotInTheDatabaseFiles()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        const string secret = "plaintext-canary-5f2b9c";
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "node")).ExitCode);

        Assert.Equal(0, (await cli.RunAsync("env", "set", "API_KEY", secret, "--app", "demo")).ExitCode);
        var listed = await cli.RunAsync("env", "--app", "demo", "--json");

        Assert.Contains(secret, listed.Output, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(server.DataDirectory, "nuage.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Viewer_SeesVariableNames_ButValuesRedacted()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "node")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "DB_PASSWORD", "hunter2", "--app", "demo")).ExitCode);
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");

        var listed = await server.Cli(viewer).RunAsync("env", "--app", "demo");

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("DB_PASSWORD=***", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithBadLines_ReportsLineNumbers_AndImportsNothing()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "KEEP", "me", "--app", "demo")).ExitCode);

        var result = await cli.RunWithInputAsync("GOOD=1\nthis line is wrong\n# comment\n1BAD=2\nQUOTE=\"open\n", "env", "import", "--app", "demo");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 4", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 5", result.Error, StringComparison.Ordinal);
        var env = await cli.RunAsync("env", "--app", "demo", "--json");
        Assert.Equal("{\n  \"KEEP\": \"me\"\n}\n", env.Output);
    }

    [Fact]
    public async Task Import_ValidDotenv_ReplacesAllVariables()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "OLD", "x", "--app", "demo")).ExitCode);

        var result = await cli.RunWithInputAsync("export A=1\nB='two words'\nC=\"line\\nbreak\"\n", "env", "import", "--app", "demo");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse((await cli.RunAsync("env", "--app", "demo", "--json")).Output);
        Assert.Equal(["A", "B", "C"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("two words", doc.RootElement.GetProperty("B").GetString());
        Assert.Equal("line\nbreak", doc.RootElement.GetProperty("C").GetString());
    }

    [Fact]
    public async Task SetThenRemove_RemovesOnlyThatVariable()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "A", "1", "--app", "demo")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "B", "2", "--app", "demo")).ExitCode);

        Assert.Equal(0, (await cli.RunAsync("env", "rm", "A", "--app", "demo")).ExitCode);
        Assert.Equal(3, (await cli.RunAsync("env", "rm", "A", "--app", "demo")).ExitCode);

        Assert.Equal("B=2\n", (await cli.RunAsync("env", "--app", "demo")).Output);
    }

    [Fact]
    public async Task Set_WithInvalidName_ExitsTwo()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "node")).ExitCode);

        var result = await server.Cli().RunAsync("env", "set", "1-BAD", "x", "--app", "demo");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"1-BAD\" is not a valid variable name", result.Error, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

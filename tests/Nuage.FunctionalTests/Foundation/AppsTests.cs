using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Foundation;

public sealed class AppsTests
{
    [Fact]
    public async Task CreateThenList_AsJson_ShowsTheApp()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();

        var created = await cli.RunAsync("create", "demo", "-t", "node");
        var listed = await cli.RunAsync("apps", "--json");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        using var doc = JsonDocument.Parse(listed.Output);
        var app = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("demo", app.GetProperty("name").GetString());
        Assert.Equal("node", app.GetProperty("runtime").GetString());
        Assert.Equal("nano", app.GetProperty("flavor").GetString());
        Assert.Equal("created", app.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("-demo")]
    [InlineData("demo-")]
    [InlineData("Demo")]
    [InlineData("de_mo")]
    [InlineData("this-name-is-much-too-long-to-be-accepted-by-nuage-x")]
    public async Task Create_WithInvalidName_ExitsTwoAndNamesTheRule(string name)
    {
        await using var server = await RunningServer.StartAsync();

        var result = await server.Cli().RunAsync("create", name, "-t", "node");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"\"{name}\" is not a valid app name", result.Error, StringComparison.Ordinal);
        Assert.Contains("No apps yet", (await server.Cli().RunAsync("apps")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Duplicate_IsRefusedAndTheFirstIsKept()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "demo", "-t", "node")).ExitCode);

        var second = await server.Cli().RunAsync("create", "demo", "-t", "python");

        Assert.Equal(2, second.ExitCode);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
        Assert.Contains("\"runtime\": \"node\"", (await server.Cli().RunAsync("status", "--app", "demo", "--json")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithSeveralBadFields_ReportsEveryField()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsJsonAsync("v1/apps", new { name = "ok-name", runtime = "cobol", flavor = "huge", instances = 0 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_app", doc.RootElement.GetProperty("code").GetString());
        var fields = doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Equal(["runtime", "flavor", "instances"], fields);
        Assert.Equal("cobol", doc.RootElement.GetProperty("errors")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task UnknownApp_ExitsThree()
    {
        await using var server = await RunningServer.StartAsync();

        var result = await server.Cli().RunAsync("status", "--app", "ghost");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("No app is named \"ghost\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_IsIdempotent_AndNeedsConfirmation()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "demo", "-t", "static")).ExitCode);

        Assert.Equal(2, (await cli.RunAsync("delete", "--app", "demo")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("delete", "--app", "demo", "--yes")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("delete", "--app", "demo", "--yes")).ExitCode);
        Assert.Equal(3, (await cli.RunAsync("status", "--app", "demo")).ExitCode);
        Assert.Empty(Directory.GetDirectories(Path.Combine(server.DataDirectory, "apps")));
    }

    [Fact]
    public async Task List_IsPaginatedWithACursor()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        foreach (var name in new[] { "app-c", "app-a", "app-b" })
        {
            (await http.PostAsJsonAsync("v1/apps", new { name, runtime = "static" })).EnsureSuccessStatusCode();
        }

        using var first = JsonDocument.Parse(await http.GetStringAsync("v1/apps?limit=2"));
        var next = first.RootElement.GetProperty("next").GetString();
        using var second = JsonDocument.Parse(await http.GetStringAsync($"v1/apps?limit=2&cursor={next}"));

        Assert.Equal(["app-a", "app-b"], first.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(["app-c"], second.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Create_InGitWorkTree_LinksTheDirectory()
    {
        await using var server = await RunningServer.StartAsync();
        var work = Path.Combine(server.Scratch, "work");
        Directory.CreateDirectory(Path.Combine(work, ".git"));
        Directory.CreateDirectory(Path.Combine(work, "sub"));

        Assert.Equal(0, (await server.Cli(workingDirectory: work).RunAsync("create", "linked", "-t", "node")).ExitCode);
        var status = await server.Cli(workingDirectory: Path.Combine(work, "sub")).RunAsync("status");

        Assert.True(File.Exists(Path.Combine(work, ".nuage.json")));
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("linked", status.Output, StringComparison.Ordinal);
    }
}

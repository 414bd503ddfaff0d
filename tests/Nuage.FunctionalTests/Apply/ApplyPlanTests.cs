using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Apply.ApplyRoundTripTests;

namespace Nuage.FunctionalTests.Apply;

/// <summary>'nuage apply': validation before any change, confirmation, --prune, and completing an interrupted apply.</summary>
public sealed class ApplyPlanTests
{
    [Fact]
    public async Task Apply_FileWithSeveralErrors_ReportsEachWithLineAndColumn_AndChangesNothing()
    {
        // Given a file with an unknown key, a wrong type, a duplicate app and a link to an add-on it does not declare.
        await using var server = await RunningServer.StartAsync();
        var file = await WriteAsync(server, """
            version = 1

            [apps.web]
            runtime = "node"
            instances = "two"
            colour = "blue"
            addons = ["db"]

            [apps.web]
            runtime = "node"

            [apps.api]
            runtime = "php"
            """);

        // When it is applied.
        var result = await server.Cli().RunAsync("apply", "-f", file, "--yes");

        // Then every error is reported at once, with its place, and the exit code is 2 (invalid input).
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("nuage.toml:5:13: apps.web.instances: must be an integer, not a string", StringComparison.Ordinal), result.ToString());
        Assert.True(result.Error.Contains("nuage.toml:6:1: apps.web.colour: unknown key \"colour\"", StringComparison.Ordinal), result.ToString());
        Assert.True(result.Error.Contains("nuage.toml:7:11: apps.web.addons: add-on \"db\" is not declared in this file", StringComparison.Ordinal), result.ToString());
        Assert.True(result.Error.Contains("nuage.toml:9:1: apps.web: [apps.web] is declared twice (first at 3:1)", StringComparison.Ordinal), result.ToString());

        // And nothing was created, not even the valid app.
        Assert.Equal("[]", (await server.Cli().RunAsync("apps", "--json")).Output.Trim());
    }

    [Fact]
    public async Task Apply_ChangingTheRuntimeOfAnExistingApp_IsRefusedBeforeAnyChange()
    {
        // Given a php app, and a file that declares it as node and adds a new app.
        await using var server = await RunningServer.StartAsync();
        await Ok(server.Cli(), "create", "shop", "-t", "php");
        var file = await WriteAsync(server, """
            [apps.fresh]
            runtime = "node"

            [apps.shop]
            runtime = "node"
            """);

        // When it is applied, the runtime line is named and nothing is created.
        var result = await server.Cli().RunAsync("apply", "-f", file, "--yes");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("nuage.toml:5:11: apps.shop.runtime: the app runs \"php\"", StringComparison.Ordinal), result.ToString());
        Assert.Equal(3, (await server.Cli().RunAsync("status", "--app", "fresh")).ExitCode);
    }

    [Fact]
    public async Task Apply_WithoutYes_WhenNobodyCanConfirm_ExitsWith2_AndDryRunOnlyPrintsThePlan()
    {
        await using var server = await RunningServer.StartAsync();
        var file = await WriteAsync(server, "[apps.web]\nruntime = \"node\"\n");

        var refused = await server.Cli().RunAsync("apply", "-f", file);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("add --yes", refused.Error, StringComparison.Ordinal);

        var dryRun = await Ok(server.Cli(), "apply", "-f", file, "--dry-run");
        Assert.Contains("+ app web: node, 1 × nano", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 1 to create, 0 to change, 0 to delete.", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal("[]", (await server.Cli().RunAsync("apps", "--json")).Output.Trim());
    }

    [Fact]
    public async Task Apply_WithPrune_DeletesWhatTheFileNoLongerDeclares_InItsOrganisationOnly()
    {
        // Given apps keep and gone, and an app of another organisation.
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        await Ok(cli, "create", "keep", "-t", "node");
        await Ok(cli, "create", "gone", "-t", "node");
        await Ok(cli, "env", "set", "SET_BY_HAND", "1", "--app", "keep");
        await Ok(cli, "org", "create", "other");
        var otherOrg = new Dictionary<string, string> { ["NUAGE_ORG"] = "other" };
        Assert.Equal(0, (await cli.RunWithEnvironmentAsync(otherOrg, string.Empty, "create", "elsewhere", "-t", "node")).ExitCode);
        var file = await WriteAsync(server, "[apps.keep]\nruntime = \"node\"\n");

        // When the file is applied without --prune, the app it does not declare is kept and named.
        var kept = await Ok(cli, "apply", "-f", file, "--yes");
        Assert.Contains("kept (add --prune to delete them): app gone", kept.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("status", "--app", "gone")).ExitCode);

        // When it is applied with --prune, it is deleted; the other organisation's app is untouched.
        var pruned = await Ok(cli, "apply", "-f", file, "--yes", "--prune", "--json");
        var changes = JsonDocument.Parse(pruned.Output).RootElement.GetProperty("changes");
        Assert.Equal("delete app gone", string.Join(";", changes.EnumerateArray().Select(c => c.GetProperty("action").GetString() + " " + c.GetProperty("target").GetString())));
        Assert.Equal(3, (await cli.RunAsync("status", "--app", "gone")).ExitCode);
        Assert.Equal(0, (await cli.RunWithEnvironmentAsync(otherOrg, string.Empty, "status", "--app", "elsewhere")).ExitCode);

        // And a key the file does not write (here: variables) is left as it is on the server.
        Assert.Contains("SET_BY_HAND=1", (await Ok(cli, "env", "--app", "keep")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_StoppedByAFailingStep_CompletesOnTheNextRun()
    {
        // Given a domain taken out of band by an app the file does not know.
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        await Ok(cli, "create", "squatter", "-t", "node");
        await Ok(cli, "domain", "add", "www.shared.test", "--app", "squatter");
        var file = await WriteAsync(server, """
            [apps.web]
            runtime = "node"
            domains = ["www.shared.test"]

            [apps.web.variables]
            MODE = "production"

            [apps.zzz]
            runtime = "node"
            """);

        // When apply meets the collision, it stops at that step and says how far it got.
        var first = await cli.RunAsync("apply", "-f", file, "--yes");
        Assert.True(first.ExitCode != 0, first.ToString());
        Assert.Contains("step \"+ app web: domain www.shared.test\" failed", first.Error, StringComparison.Ordinal);
        Assert.Contains("Applied 2 of 4 step(s)", first.Error, StringComparison.Ordinal);
        Assert.Equal(3, (await cli.RunAsync("status", "--app", "zzz")).ExitCode);

        // When the collision is removed and apply runs again, it completes only what is missing.
        await Ok(cli, "domain", "rm", "www.shared.test", "--app", "squatter");
        var second = await Ok(cli, "apply", "-f", file, "--yes");
        Assert.Contains("Plan: 2 to create, 0 to change, 0 to delete.", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MODE", second.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("status", "--app", "zzz")).ExitCode);
        Assert.Contains("No changes", (await Ok(cli, "apply", "-f", file, "--yes")).Output, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync(RunningServer server, string text)
    {
        var file = Path.Combine(server.Scratch, "nuage.toml");
        await File.WriteAllTextAsync(file, text + "\n");
        return file;
    }
}

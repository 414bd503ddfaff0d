using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Apply.ApplyRoundTripTests;

namespace Nuage.FunctionalTests.Import;

/// <summary>'nuage import heroku|clever' with fixtures written from the public formats, each app then deployed and answering.</summary>
public sealed class ImportTests
{
    [Fact]
    public async Task ImportHeroku_NodeAppWithAppJsonProcfileAndConfig_CreatesTheAppAddonsAndVariables_AndItServes()
    {
        // Given a Heroku Node app: app.json, a Procfile with a release phase and 'heroku config' output.
        await using var server = await RunningServer.StartAsync();
        var dir = Fixture(server, "heroku-node");

        // When it is imported.
        var result = await Ok(server.Cli(workingDirectory: dir), "import", "heroku", "--config", "heroku-config.txt");

        // Then the app has the running app's values (heroku config wins over app.json), formation and dyno size.
        var env = (await Ok(server.Cli(), "env", "--app", "shop-front")).Output;
        Assert.Contains("GREETING=bonjour from Heroku", env, StringComparison.Ordinal);
        Assert.Contains("SESSION_SECRET=4f9a1c7e2b8d", env, StringComparison.Ordinal);
        Assert.Contains("WEB_CONCURRENCY=2", env, StringComparison.Ordinal);
        Assert.Contains("PAPERTRAIL_API_TOKEN=Xa9wB2cD3eF4", env, StringComparison.Ordinal);
        Assert.DoesNotContain("ec2-54-73-22-10", env, StringComparison.Ordinal);
        var status = (await Ok(server.Cli(), "status", "--app", "shop-front")).Output;
        Assert.Contains("XS", status, StringComparison.Ordinal);

        // And postgresql and redis add-ons were created and linked; what did not carry over is listed.
        var addons = (await Ok(server.Cli(), "addon", "list")).Output;
        Assert.Contains("shop-front-postgresql", addons, StringComparison.Ordinal);
        Assert.Contains("shop-front-redis", addons, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "add-on papertrail:choklad: Nuage has no add-on of this kind",
            "variable SUPPORT_EMAIL: required by app.json but has no value",
            "variable DATABASE_URL: set by the Heroku add-on",
            "variable HEROKU_APP_NAME: set by Heroku's platform",
            "formation worker × 1:",
            "app.json script postdeploy (node scripts/seed.js):",
            "data of heroku-postgresql:essential-0: not copied",
        })
        {
            Assert.True(result.Output.Contains(expected, StringComparison.Ordinal), expected + "\n" + result);
        }

        // When the directory is deployed, the release phase runs and the app answers with the imported configuration.
        var deployment = await Deployer.DeployOkAsync(server, "shop-front", dir);
        using var http = server.Http();
        Assert.Contains("release phase ran with NODE_ENV=production", await http.GetStringAsync($"v1/apps/shop-front/deployments/{deployment.GetProperty("id").GetString()}/events"), StringComparison.Ordinal);
        var (code, body) = await Deployer.GetAppAsync(server, "shop-front");
        Assert.Equal(200, code);
        Assert.Equal("greeting=bonjour from Heroku env=production database=yes redis=yes", body.Trim());
    }

    [Fact]
    public async Task ImportClever_PhpAppWithPhpJsonAndCleverEnv_CreatesTheApp_ReportsWhatIsUnsupported_AndItServes()
    {
        // Given a Clever Cloud PHP app: .clever.json, clevercloud/php.json with a webroot and 'clever env' output.
        await using var server = await RunningServer.StartAsync();
        var dir = Fixture(server, "clever-php");

        // When it is imported without --create-addons, the add-on is recognised and the flag suggested.
        var cli = server.Cli(workingDirectory: dir);
        var result = await Ok(cli, "import", "clever", "--env", "clever-env.txt");
        Assert.Contains("variable POSTGRESQL_ADDON_HOST: belongs to a Clever Cloud postgresql add-on; re-run with --create-addons", result.Output, StringComparison.Ordinal);
        Assert.Contains("variable CC_HTTP_BASIC_AUTH: a Clever Cloud setting Nuage does not act on yet", result.Output, StringComparison.Ordinal);
        Assert.Contains("clevercloud/php.json configuration: no Nuage setting for it", result.Output, StringComparison.Ordinal);

        // Then the app has the php runtime, the webroot and the unquoted values.
        var env = (await Ok(server.Cli(), "env", "--app", "blog-php", "--json")).Output;
        Assert.Contains("\"CC_WEBROOT\": \"/public\"", env, StringComparison.Ordinal);
        Assert.Contains("\"GREETING\": \"bonjour de \\u0022Clever\\u0022\"", env, StringComparison.Ordinal);
        Assert.Contains("\"MOTD\": \"line one\\nline two\"", env, StringComparison.Ordinal);
        Assert.DoesNotContain("CC_HTTP_BASIC_AUTH", env, StringComparison.Ordinal);

        // When it is imported again under another name with --create-addons, a postgresql add-on is created and
        // linked, and the report says plainly that the data is not copied.
        var withAddons = await Ok(cli, "import", "clever", "--env", "clever-env.txt", "--app", "blog", "--create-addons");
        Assert.Contains("postgresql add-on blog-postgresql, created and linked", withAddons.Output, StringComparison.Ordinal);
        Assert.Contains("data of the Clever Cloud postgresql add-on: not copied: re-run with --with-addons", withAddons.Output, StringComparison.Ordinal);

        // And the app, deployed, serves from the webroot with its configuration and the new add-on's variables.
        await Deployer.DeployOkAsync(server, "blog", dir);
        var (code, body) = await Deployer.GetAppAsync(server, "blog");
        Assert.Equal(200, code);
        Assert.Equal("greeting=bonjour de \"Clever\" env=production database=yes", body.Trim());
    }

    [Fact]
    public async Task Import_IntoAnExistingAppName_IsRefusedWithoutChanges()
    {
        await using var server = await RunningServer.StartAsync();
        await Ok(server.Cli(), "create", "blog-php", "-t", "node");
        var dir = Fixture(server, "clever-php");

        var result = await server.Cli(workingDirectory: dir).RunAsync("import", "clever", "--env", "clever-env.txt");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("app \"blog-php\" already exists", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("GREETING", (await Ok(server.Cli(), "env", "--app", "blog-php")).Output, StringComparison.Ordinal);
    }

    /// <summary>Copies a fixture (tests/Nuage.FunctionalTests/Import/Fixtures) to the server's scratch directory.</summary>
    private static string Fixture(RunningServer server, string name)
    {
        var source = Path.Combine(Deployer.RepoRoot, "tests", "Nuage.FunctionalTests", "Import", "Fixtures", name);
        var target = Path.Combine(server.Scratch, name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}

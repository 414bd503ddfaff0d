using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Apply;

/// <summary>'nuage export' and 'nuage apply': an install written as a file, applied to another server, exported again.</summary>
public sealed class ApplyRoundTripTests
{
    [Fact]
    public async Task ExportApplyExport_ToAFreshServer_GivesTheSameFile_AndASecondApplyHasNoChanges()
    {
        // Given an install with two apps, variables, a domain, a drain and a redis add-on linked to one app.
        await using var source = await RunningServer.StartAsync(LocalReceivers);
        var cli = source.Cli();
        await Ok(cli, "create", "web", "-t", "node");
        await Ok(cli, "create", "api", "-t", "php");
        await Ok(cli, "scale", "--app", "web", "--instances", "2", "--flavor", "XS", "--no-follow");
        await Ok(cli, "env", "set", "GREETING", "salut \"tout le monde\"", "--app", "web");
        await Ok(cli, "env", "set", "CC_WEBROOT", "/public", "--app", "api");
        await Ok(cli, "domain", "add", "www.example.test", "--app", "web");
        await Ok(cli, "drain", "create", "--app", "api", "--type", "syslog-tcp", "tcp://127.0.0.1:6514", "--sd-params", "env=\"prod\"");
        await Ok(cli, "addon", "create", "cache", "--type", "redis");
        await Ok(cli, "addon", "link", "cache", "--app", "web");
        await Ok(cli, "scale", "--app", "api", "--min-instances", "1", "--max-instances", "3", "--min-flavor", "nano", "--max-flavor", "S", "--target-cpu", "60");

        // When it is exported with its secrets and applied to an empty server.
        var exported = await Ok(cli, "export", "--include-secrets");
        await using var target = await RunningServer.StartAsync(LocalReceivers);
        var file = Path.Combine(target.Scratch, "nuage.toml");
        await File.WriteAllTextAsync(file, exported.Output);
        var applied = await Ok(target.Cli(), "apply", "-f", file, "--yes");

        // Then the plan was printed and applied, and exporting the new server gives the same file.
        Assert.Contains("+ addon cache", applied.Output, StringComparison.Ordinal);
        Assert.Contains("+ app web: link addon cache", applied.Output, StringComparison.Ordinal);
        Assert.Contains("app api: autoscale off → 1–3 instances, nano–S, cpu 60 %", applied.Output, StringComparison.Ordinal);
        Assert.Contains("[apps.api.autoscale]\nmin_instances = 1\nmax_instances = 3\nmin_flavor = \"nano\"\nmax_flavor = \"S\"\ntarget_cpu = 60\n", exported.Output, StringComparison.Ordinal);
        Assert.Equal(exported.Output, (await Ok(target.Cli(), "export", "--include-secrets")).Output);
        Assert.Contains("GREETING = \"salut \\\"tout le monde\\\"\"", exported.Output, StringComparison.Ordinal);

        // And applying the file again changes nothing.
        var again = await Ok(target.Cli(), "apply", "-f", file, "--yes");
        Assert.Contains("No changes", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WithoutIncludeSecrets_WritesReferences_ThatApplyResolvesFromTheEnvironment()
    {
        // Given an app with a secret variable and a registry setting.
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        await Ok(cli, "create", "shop", "-t", "php");
        await Ok(cli, "env", "set", "API_KEY", "s3cret", "--app", "shop");
        await Ok(cli, "env", "set", "CC_WEBROOT", "/public", "--app", "shop");

        // When it is exported without --include-secrets.
        var exported = (await Ok(cli, "export", "--app", "shop")).Output;

        // Then the secret is a reference and its value is not in the file; the setting is written in clear.
        Assert.Contains("API_KEY = { secret = \"SHOP_API_KEY\" }", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", exported, StringComparison.Ordinal);
        Assert.Contains("CC_WEBROOT = \"/public\"", exported, StringComparison.Ordinal);

        // When the file is applied with the reference unset, the current value is kept (no changes).
        var file = Path.Combine(server.Scratch, "shop.toml");
        await File.WriteAllTextAsync(file, exported);
        Assert.Contains("No changes", (await Ok(cli, "apply", "-f", file, "--yes")).Output, StringComparison.Ordinal);

        // When the reference is set (as CI would), the value changes and the plan does not print it.
        var rotated = await cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["SHOP_API_KEY"] = "n3w-value" }, string.Empty, "apply", "-f", file, "--yes");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.Contains("~ app shop: variables ~API_KEY", rotated.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("n3w-value", rotated.Output, StringComparison.Ordinal);
        Assert.Contains("API_KEY=n3w-value", (await Ok(cli, "env", "--app", "shop")).Output, StringComparison.Ordinal);
    }

    /// <summary>The drain receiver is on loopback (no public receiver exists here).</summary>
    internal static Nuage.Server.Hosting.NuageServerOptions LocalReceivers(Nuage.Server.Hosting.NuageServerOptions options) => options with { AllowPrivateDrains = true };

    internal static async Task<CliResult> Ok(CliRun cli, params string[] args)
    {
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + "\n" + result);
        return result;
    }
}

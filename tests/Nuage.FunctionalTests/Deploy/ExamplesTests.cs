using Nuage.Core.Variables;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>Every example in examples/ deploys through the real pipeline and answers through the router.</summary>
public sealed class ExamplesTests
{
    [Theory]
    [InlineData("static", "runtime=static")]
    [InlineData("node", "runtime=node instance=0 greeting=salut")]
    [InlineData("python", "runtime=python instance=0 greeting=salut")]
    [InlineData("php", "runtime=php instance=0 greeting=salut")]
    [InlineData("procfile", "runtime=procfile instance=0 greeting=salut")]
    [InlineData("go", "runtime=go instance=0 greeting=salut")]
    [InlineData("dotnet", "runtime=dotnet instance=0 greeting=salut")]
    public async Task Example_Deployed_AnswersWithItsRuntimeInstanceAndVariable(string runtime, string expected)
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", runtime)).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "GREETING", "salut", "--app", "ex")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "ex", Deployer.Example(runtime));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var (status, body) = await Deployer.GetAppAsync(server, "ex");
        Assert.Equal(200, status);
        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhpExample_HtaccessRewriteRule_IsHonouredInTheSandbox()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", "php")).ExitCode);
        var directory = Deployer.CopyExample(server, "php");
        var htaccess = Path.Combine(directory, ".htaccess");
        await File.WriteAllTextAsync(htaccess, "RewriteEngine On\nRewriteRule ^pretty$ echo.php?x=1 [L]\n" + await File.ReadAllTextAsync(htaccess));
        await File.WriteAllTextAsync(Path.Combine(directory, "echo.php"), "<?php echo 'x=' . ($_GET['x'] ?? 'none') . ' opcache=' . (extension_loaded('Zend OPcache') ? 'yes' : 'no') . \"\\n\";");

        var deployment = await Deployer.DeployAsync(server, "ex", directory);

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var (status, body) = await Deployer.GetAppAsync(server, "ex", "/pretty");
        Assert.Equal(200, status);

        // OPcache is loaded by /etc/php/*/fpm/conf.d: the host's PHP configuration is visible in the sandbox.
        Assert.Equal("x=1 opcache=yes\n", body);
        Assert.Equal("ok\n", (await Deployer.GetAppAsync(server, "ex", "/health")).Body);
    }

    [Fact]
    public async Task PhpVersion_NotInstalled_IsRefusedListingInstalledOnes()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", "php")).ExitCode);

        var result = await server.Cli().RunAsync("env", "set", KnownVariables.PhpVersion.Name, "5.6", "--app", "ex");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(KnownVariables.PhpVersion.Name, result.Error, StringComparison.Ordinal);
        Assert.Contains("use one of:", result.Error, StringComparison.Ordinal);
        Assert.Contains(PhpCliVersion(), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhpVersion_Installed_ServesWithThatVersion()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", "php")).ExitCode);
        var majorMinor = string.Join('.', PhpCliVersion().Split('.')[..2]);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", KnownVariables.PhpVersion.Name, majorMinor, "--app", "ex")).ExitCode);
        var directory = Deployer.CopyExample(server, "php");
        await File.WriteAllTextAsync(Path.Combine(directory, "version.php"), "<?php echo PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION . ' ' . PHP_SAPI;");

        var deployment = await Deployer.DeployAsync(server, "ex", directory);

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        Assert.Equal($"{majorMinor} fpm-fcgi", (await Deployer.GetAppAsync(server, "ex", "/version.php")).Body);
    }

    /// <summary>The host's php CLI version (php-cli from .ci/packages/php.apt), e.g. 8.2.7.</summary>
    private static string PhpCliVersion()
    {
        using var php = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("php", "-r \"echo PHP_VERSION;\"") { RedirectStandardOutput = true })!;
        var version = php.StandardOutput.ReadToEnd().Trim();
        php.WaitForExit();
        return version;
    }
}

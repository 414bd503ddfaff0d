using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>With network isolation, linking opens exactly app instance → add-on address:port in this server's firewall.</summary>
public sealed class AddonNetworkTests
{
    [Fact]
    public async Task Link_AllowsLinkedAppInstancesToTheAddonPort_AndUnlinkRemovesIt()
    {
        await using var server = await RunningServer.StartAsync();
        var created = await CreateAsync(server, "cache", "redis");
        var addonAddress = created.GetProperty("host").GetString()!;
        var port = created.GetProperty("port").GetInt32();
        Assert.StartsWith("10.213.", addonAddress, StringComparison.Ordinal); // its own network, never a public interface

        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("create", "other", "-t", "node")).ExitCode);
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/addons/cache/links", new { app = "web" })).EnsureSuccessStatusCode();
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        await Deployer.DeployOkAsync(server, "other", Deployer.Example("node"));

        var webAddress = await InstanceAddressAsync(server, "web");
        var otherAddress = await InstanceAddressAsync(server, "other");
        var flows = await FlowsAsync(server);
        Assert.Contains($"{webAddress} . {addonAddress} . {port}", flows, StringComparison.Ordinal);
        Assert.DoesNotContain(otherAddress + " ", flows, StringComparison.Ordinal);

        var env = await server.Cli().RunAsync("env", "--app", "web");
        Assert.Contains($"REDIS_HOST={addonAddress}", env.Output, StringComparison.Ordinal);

        (await http.DeleteAsync("v1/addons/cache/links/web")).EnsureSuccessStatusCode();
        Assert.DoesNotContain(addonAddress, await FlowsAsync(server), StringComparison.Ordinal);
    }

    private static async Task<string> InstanceAddressAsync(RunningServer server, string app)
    {
        var config = await server.Server.Services.GetRequiredService<Nuage.Core.State.IStateStore>().Apps.FindByNameAsync(app, CancellationToken.None);
        var instances = server.Server.Services.GetRequiredService<Nuage.Server.Instances.AppInstances>();
        return instances.AllSpecs().Single(s => s.AppId == config!.Id && s.Kind == Nuage.Core.Instances.InstanceKind.Web).Address!;
    }

    private static async Task<string> FlowsAsync(RunningServer server)
    {
        var table = Runtime.Networking.InstanceNetworks.TableFor(Path.Combine(server.Server.Paths.Root, "run"));
        var (code, output) = await RunAsync("nft", null, "list", "set", "inet", table, "flows");
        Assert.True(code == 0, output);
        return output;
    }
}

using Nuage.Server.Hosting;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>A real <c>nuage server</c> on 127.0.0.1:0 with its own data directory, and a CLI pointed at it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private NuageServerOptions _options;

    private readonly TimeProvider? _time;

    private RunningServer(TempDirectory dir, NuageServerOptions options, NuageServer server, TimeProvider? time)
    {
        _dir = dir;
        _options = options;
        _time = time;
        Server = server;
        AdminToken = server.InitialAdminToken!;
    }

    public NuageServer Server { get; private set; }

    public string AdminToken { get; }

    /// <summary>The options the server was started (and is restarted) with.</summary>
    public NuageServerOptions Options => _options;

    public string Url => Server.ApiAddress.ToString().TrimEnd('/');

    public string DataDirectory => _dir.Combine("data");

    public string Scratch => _dir.Path;

    /// <param name="time">The server's clock (a FakeTimeProvider where a test must control time); null: the system's.</param>
    public static async Task<RunningServer> StartAsync(Func<NuageServerOptions, NuageServerOptions>? configure = null, TimeProvider? time = null)
    {
        var dir = new TempDirectory();
        var nuageDll = Path.Combine(AppContext.BaseDirectory, "nuage.dll");
        var options = new NuageServerOptions
        {
            DataDirectory = dir.Combine("data"),
            Api = "127.0.0.1:0",
            Http = "127.0.0.1:0",
            SelfCommand = $"/usr/bin/dotnet '{nuageDll}'",
            SandboxReadOnlyPaths = [AppContext.BaseDirectory],
            Deployments = new() { DrainTimeout = TimeSpan.FromSeconds(5), StopTimeout = TimeSpan.FromSeconds(5), HealthTimeout = TimeSpan.FromSeconds(30) },
        };
        options = configure?.Invoke(options) ?? options;
        var server = await NuageServer.StartAsync(options, CancellationToken.None, time);
        return new RunningServer(dir, options, server, time);
    }

    /// <summary>
    /// Stops this server (apps keep running, as in production) and starts a new one on the same data directory and
    /// options, changed by <paramref name="change"/> when given (e.g. an operator raising a limit).
    /// </summary>
    public async Task RestartAsync(Func<NuageServerOptions, NuageServerOptions>? change = null)
    {
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        _options = change?.Invoke(_options) ?? _options;
        Server = await NuageServer.StartAsync(_options, CancellationToken.None, _time);
    }

    /// <summary>A CLI invocation as the admin (or the given token), in a scratch work directory.</summary>
    public CliRun Cli(string? token = null, string? workingDirectory = null) =>
        new(Url, token ?? AdminToken, workingDirectory ?? _dir.Path, _dir.Combine("config"));

    private async Task StopAllAppsAsync()
    {
        using var http = Http();
        var apps = await Cli().RunAsync("apps", "--json");
        if (apps.ExitCode != 0)
        {
            return;
        }

        foreach (var app in System.Text.Json.JsonDocument.Parse(apps.Output).RootElement.EnumerateArray())
        {
            await http.DeleteAsync($"v1/apps/{app.GetProperty("name").GetString()}");
        }

        // Add-on servers outlive the server too (they are supervised instances): delete them with their data.
        using var addons = await http.GetAsync("v1/addons");
        if (addons.IsSuccessStatusCode)
        {
            foreach (var addon in System.Text.Json.JsonDocument.Parse(await addons.Content.ReadAsStringAsync()).RootElement.EnumerateArray())
            {
                (await http.DeleteAsync($"v1/addons/{addon.GetProperty("name").GetString()}?force=true")).Dispose();
            }
        }
    }

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/") };
        if (token is not "")
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token ?? AdminToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        // Apps outlive the server by design; a test's apps must not outlive the test.
        await StopAllAppsAsync();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        await ServerProcess.KillRouterAsync(DataDirectory);

        // Each server has a firewall table of its own (named after its run directory); a test's must not outlive it.
        await Runtime.Networking.InstanceNetworks.RunAsync(
            "nft", ["delete", "table", "inet", Runtime.Networking.InstanceNetworks.TableFor(Path.Combine(Server.Paths.Root, "run"))], null, CancellationToken.None);
        _dir.Dispose();
    }
}

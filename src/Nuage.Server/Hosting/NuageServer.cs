using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Server.Api;
using Nuage.Server.Apps;
using Nuage.Server.Env;
using Nuage.Server.Git;
using Nuage.Server.Security;
using Nuage.Server.Tokens;
using Nuage.State.Sqlite;

namespace Nuage.Server.Hosting;

/// <summary>The platform process: API listener, application services and (as they land) router, scheduler and logs.</summary>
public sealed class NuageServer : IAsyncDisposable
{
    private readonly WebApplication _api;

    private NuageServer(WebApplication api, NuagePaths paths, Uri apiAddress, string? initialAdminToken)
    {
        _api = api;
        Paths = paths;
        ApiAddress = apiAddress;
        InitialAdminToken = initialAdminToken;
    }

    public NuagePaths Paths { get; }

    public Uri ApiAddress { get; }

    /// <summary>The admin token created on first start (null on later starts: it is shown only once).</summary>
    public string? InitialAdminToken { get; }

    public IServiceProvider Services => _api.Services;

    /// <summary>Validates options, prepares the data directory, and starts listening. Throws <see cref="NuageException"/> on bad options.</summary>
    public static async Task<NuageServer> StartAsync(NuageServerOptions options, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw NuageException.Invalid("invalid_option", errors);
        }

        time ??= TimeProvider.System;
        var paths = new NuagePaths(options.DataDirectory);
        DataDirectory.Prepare(paths);
        var key = DataDirectory.LoadOrCreateKey(paths);
        var store = SqliteStateStore.Open(paths.Database);
        var adminToken = await DataDirectory.EnsureAdminTokenAsync(paths, store, time, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(NuageServerOptions.ParseEndpoint(options.Api));
            k.Limits.MaxRequestBodySize = options.MaxApiBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IStateStore>(store);
        builder.Services.AddSingleton(new SecretBox(key));
        builder.Services.AddSingleton(new AppUrls(options.Domain, () => NuageServerOptions.ParseEndpoint(options.Http).Port));
        builder.Services.AddSingleton<TokenAuthenticator>();
        builder.Services.AddSingleton<AppService>();
        builder.Services.AddSingleton(new VariableValidator(VariableRegistry.Default, await HostVersions.DetectAsync(cancellationToken)));
        builder.Services.AddSingleton<EnvPolicy>();
        builder.Services.AddSingleton<EnvService>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddNuageGit();

        var app = builder.Build();
        app.Use(Problems.HandleAsync);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), v1 => v1.Use(CallerContext.AuthenticateAsync));
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        NuageApi.Map(app);
        GitEndpoints.Map(app);
        app.MapFallback((HttpContext http) =>
            Problems.WriteAsync(http, 404, "not_found", $"No endpoint answers {http.Request.Method} {http.Request.Path}; see /openapi/v1.json.", null));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new NuageServer(app, paths, new Uri(address), adminToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _api.StopAsync(cancellationToken);

    /// <summary>Completes when the process is asked to stop (SIGTERM, SIGINT) or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _api.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}

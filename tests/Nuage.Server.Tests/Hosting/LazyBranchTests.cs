using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Server.Hosting;

namespace Nuage.Server.Tests.Hosting;

/// <summary>The branch behind lazily built endpoints (MCP, OpenAPI): built once, retried after a failure, server services visible.</summary>
public sealed class LazyBranchTests
{
    private sealed class ServerSingleton;

    private sealed class BranchService(ServerSingleton server)
    {
        public ServerSingleton Server { get; } = server;
    }

    [Fact]
    public async Task ConcurrentFirstRequests_BuildOnce_AndHandlersSeeTheServersSingletons()
    {
        var serverServices = ServerServices();
        serverServices.AddSingleton<ServerSingleton>();
        var server = serverServices.BuildServiceProvider();
        var builds = 0;
        var branch = new LazyBranch(server, [.. serverServices], (services, _) =>
        {
            Interlocked.Increment(ref builds);
            services.AddSingleton<BranchService>();
        }, endpoints => endpoints.MapPost("/thing", (HttpContext http) =>
        {
            var service = http.RequestServices.GetRequiredService<BranchService>();
            return Results.Text(ReferenceEquals(service.Server, server.GetRequiredService<ServerSingleton>()) ? "same" : "copy");
        }));

        var contexts = Enumerable.Range(0, 8).Select(_ => Request(server)).ToArray();
        await Task.WhenAll(contexts.Select(c => Task.Run(() => branch.InvokeAsync(c))));

        Assert.Equal(1, builds);
        Assert.All(contexts, c =>
        {
            Assert.Equal(StatusCodes.Status200OK, c.Response.StatusCode);
            Assert.Equal("same", Body(c));
            Assert.Same(server, c.RequestServices); // restored after the branch
        });
    }

    [Fact]
    public async Task FailedBuild_IsNotCached_TheNextRequestBuildsAgain()
    {
        var serverServices = ServerServices();
        var server = serverServices.BuildServiceProvider();
        var attempts = 0;
        var branch = new LazyBranch(server, [.. serverServices], (_, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new InvalidOperationException("first build fails");
            }
        }, endpoints => endpoints.MapPost("/thing", () => Results.Text("built")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => branch.InvokeAsync(Request(server)));
        var second = Request(server);
        await branch.InvokeAsync(second);

        Assert.Equal(2, attempts);
        Assert.Equal("built", Body(second));
    }

    /// <summary>What a WebApplication's container always has and the inner pipeline uses: logging, a diagnostic listener.</summary>
    private static ServiceCollection ServerServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new DiagnosticListener("test"));
        return services;
    }

    private static DefaultHttpContext Request(IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/thing";
        context.Response.Body = new MemoryStream();
        // As the server's routing leaves it: an outer endpoint already matched, which the branch must clear.
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "outer"));
        return context;
    }

    private static string Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Nuage.Server.Hosting;

/// <summary>
/// A part of the HTTP API whose library (services and endpoints) is built on its first request instead of at start,
/// so that an idle server never loads its assemblies (MCP SDK, OpenAPI). The outer endpoint stays mapped with the same
/// route; its handler builds, once and thread-safely, a child container (the library's services, plus what
/// <paramref name="configureServices"/> forwards from the server's container) and an inner routing pipeline mapping
/// the library's endpoints, then runs the request through it. Request services resolve from the child first, then from
/// the server's container, so the library's handlers still receive Nuage's singletons.
/// </summary>
internal sealed class LazyBranch(
    IServiceProvider parent, IReadOnlyList<ServiceDescriptor> serverServices, Action<IServiceCollection, IServiceProvider> configureServices, Action<IEndpointRouteBuilder> mapEndpoints)
{
    private readonly Lock gate = new();
    private volatile Built? built;

    public async Task InvokeAsync(HttpContext http)
    {
        var (services, pipeline) = built ?? BuildOnce();
        var outer = http.RequestServices;
        await using var scope = services.CreateAsyncScope();
        http.RequestServices = new FallbackServices(scope.ServiceProvider, outer);
        http.SetEndpoint(null); // otherwise the inner routing middleware keeps the outer endpoint and skips matching
        http.Request.RouteValues.Clear();
        try
        {
            await pipeline(http);
        }
        finally
        {
            http.RequestServices = outer;
        }
    }

    /// <summary>Concurrent first requests build once; a failed build is not cached (the next request retries).</summary>
    private Built BuildOnce()
    {
        lock (gate)
        {
            if (built is { } done)
            {
                return done;
            }

            var services = new ServiceCollection();
            Forward(services);
            services.AddRouting();
            configureServices(services, parent);
            // Never disposed: it would dispose the server's forwarded singletons; the server's container owns those.
            var provider = services.BuildServiceProvider();
            var app = new ApplicationBuilder(provider);
            app.UseRouting();
            app.UseEndpoints(mapEndpoints);
            built = new Built(provider, app.Build());
            return built;
        }
    }

    /// <summary>
    /// Every singleton of the server, forwarded (same instances): the library's own <c>TryAdd</c> registrations then
    /// reuse them (routing, logging, JSON options, host), and the child's <see cref="IServiceProviderIsService"/> knows
    /// Nuage's services, as the OpenAPI generator needs to tell DI-bound handler parameters from request bodies.
    /// </summary>
    private void Forward(IServiceCollection services)
    {
        foreach (var open in serverServices.Where(d => d.ServiceType.IsGenericTypeDefinition))
        {
            services.Add(open); // ILogger<>, IOptions<>…: types, built in the child over the forwarded singletons
        }

        foreach (var group in serverServices
            .Where(d => d is { Lifetime: ServiceLifetime.Singleton, IsKeyedService: false } && !d.ServiceType.IsGenericTypeDefinition)
            .GroupBy(d => d.ServiceType))
        {
            var type = group.Key;
            var count = group.Count();
            for (var i = 0; i < count; i++)
            {
                var index = i;
                services.AddSingleton(type, _ => count == 1 ? parent.GetRequiredService(type) : parent.GetServices(type).ElementAt(index)!);
            }
        }
    }

    private sealed record Built(IServiceProvider Services, RequestDelegate Pipeline);

    /// <summary>The child scope first, then the server's request services (Nuage's singletons for tool handlers).</summary>
    private sealed class FallbackServices(IServiceProvider first, IServiceProvider second) : IKeyedServiceProvider
    {
        public object? GetService(Type serviceType) => first.GetService(serviceType) ?? second.GetService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) =>
            first.GetKeyedService(serviceType, serviceKey) ?? second.GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
            GetKeyedService(serviceType, serviceKey) ?? first.GetRequiredKeyedService(serviceType, serviceKey);
    }
}

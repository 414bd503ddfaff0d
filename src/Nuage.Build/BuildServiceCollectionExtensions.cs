using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nuage.Core.Errors;
using Nuage.Build.Caching;
using Nuage.Build.Intake;
using Nuage.Build.Planning;
using Nuage.Build.Steps;

namespace Nuage.Build;

public static class BuildServiceCollectionExtensions
{
    /// <summary>
    /// Registers the build library: <see cref="ReleaseUnpacker"/>, <see cref="BuildPlanner"/>, <see cref="BuildRunner"/>,
    /// <see cref="StepRunner"/>, <see cref="DependencyCache"/> and <see cref="HostTools"/> (server PATH).
    /// Options are validated here, so a bad value fails at startup. Needs logging registered (AddLogging).
    /// </summary>
    public static IServiceCollection AddNuageBuild(this IServiceCollection services, BuildOptions? options = null)
    {
        options ??= new BuildOptions();
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidBuildOptions, options.Validate());
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => HostTools.FromEnvironment());
        services.AddSingleton<ReleaseUnpacker>();
        services.AddSingleton<BuildPlanner>();
        services.AddSingleton<StepRunner>();
        services.AddSingleton<DependencyCache>();
        services.AddSingleton<BuildRunner>();
        return services;
    }
}

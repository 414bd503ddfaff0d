using Microsoft.Extensions.DependencyInjection;

namespace Nuage.Server.Git;

public static class GitServiceCollectionExtensions
{
    /// <summary>Registers the per-app git remotes (<see cref="GitRepositories"/>); map them with <see cref="GitEndpoints.Map"/>.</summary>
    public static IServiceCollection AddNuageGit(this IServiceCollection services, GitRemoteOptions? options = null)
    {
        services.AddSingleton(options ?? new GitRemoteOptions());
        services.AddSingleton<GitRepositories>();
        return services;
    }
}

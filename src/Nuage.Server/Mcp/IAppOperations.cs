using Nuage.Core.Api;
using Nuage.Core.Auth;

namespace Nuage.Server.Mcp;

/// <summary>
/// Day-2 operations the scale and restart_app tools call. The server implements it over its app operations service
/// (which checks the caller's role, like every service).
/// </summary>
public interface IAppOperations
{
    /// <summary>Changes the instance count and/or flavor (null = unchanged); may start a deployment of the current release.</summary>
    Task<AppOperationResult> ScaleAsync(Caller caller, string app, int? instances, string? flavor, CancellationToken cancellationToken);

    /// <summary>Replaces the app's instances with new ones of the current release (health-gated).</summary>
    Task<AppOperationResult> RestartAsync(Caller caller, string app, CancellationToken cancellationToken);
}

/// <summary>What an operation did: the app now, the deployment it started (if any), and a one-line summary.</summary>
public sealed record AppOperationResult(AppDto App, DeploymentDto? Deployment, string Summary);

/// <summary>The MCP tools' view of the app operations service (which checks the caller's role, like every service).</summary>
internal sealed class AppOperationsAdapter(Apps.AppOperations operations) : IAppOperations
{
    public async Task<AppOperationResult> ScaleAsync(Caller caller, string app, int? instances, string? flavor, CancellationToken cancellationToken)
    {
        var result = await operations.ScaleAsync(caller, app, new ScaleRequest { Instances = instances, Flavor = flavor }, cancellationToken);
        return new AppOperationResult(result.App, result.Deployment, result.Summary);
    }

    public async Task<AppOperationResult> RestartAsync(Caller caller, string app, CancellationToken cancellationToken)
    {
        var result = await operations.RestartAsync(caller, app, cancellationToken);
        return new AppOperationResult(result.App, result.Deployment, result.Summary);
    }
}

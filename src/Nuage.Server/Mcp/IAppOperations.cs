using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;

namespace Nuage.Server.Mcp;

/// <summary>
/// Day-2 operations the scale and restart_app tools call. The server implements it over its app operations service
/// (which checks the caller's role, like every service); until then <see cref="UnwiredAppOperations"/> answers.
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

/// <summary>Stand-in until the server wires its operations service: checks the role, then says the tool is unavailable.</summary>
internal sealed class UnwiredAppOperations : IAppOperations
{
    public Task<AppOperationResult> ScaleAsync(Caller caller, string app, int? instances, string? flavor, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Scaling apps");
        throw Unavailable("scale");
    }

    public Task<AppOperationResult> RestartAsync(Caller caller, string app, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Restarting apps");
        throw Unavailable("restart_app");
    }

    private static NuageException Unavailable(string tool) =>
        new(ErrorKind.Failed, "not_available", $"{tool} is not available on this server version; use the CLI ('nuage scale', 'nuage restart').");
}

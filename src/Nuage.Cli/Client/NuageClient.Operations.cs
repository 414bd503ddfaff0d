using Nuage.Cli.Config;
using Nuage.Core.Api;
using Nuage.Core.Deployments;

namespace Nuage.Cli.Client;

public sealed partial class NuageClient
{
    public Task<OperationDto> ScaleAsync(string app, ScaleRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/scale", Json(request, CliJson.Default.ScaleRequest), CliJson.Default.OperationDto, cancellationToken);

    public Task<AutoscaleDto> GetAutoscaleAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/autoscale", null, CliJson.Default.AutoscaleDto, cancellationToken);

    public Task<AutoscaleDto> SetAutoscaleAsync(string app, AutoscaleRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"v1/apps/{Uri.EscapeDataString(app)}/autoscale", Json(request, CliJson.Default.AutoscaleRequest), CliJson.Default.AutoscaleDto, cancellationToken);

    public Task<AutoscaleDto> DeleteAutoscaleAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(app)}/autoscale", null, CliJson.Default.AutoscaleDto, cancellationToken);

    public Task<OperationDto> OperateAsync(string app, string verb, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/{verb}", null, CliJson.Default.OperationDto, cancellationToken);

    public Task<List<InstanceDto>> ListInstancesAsync(string app, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"v1/apps/{Uri.EscapeDataString(app)}/instances", null, CliJson.Default.ListInstanceDto, cancellationToken);

    public Task<DeploymentDto> RollbackAsync(string app, string? deploymentId, CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Post,
            $"v1/apps/{Uri.EscapeDataString(app)}/rollback",
            Json(new ReleaseRequest { DeploymentId = deploymentId }, CliJson.Default.ReleaseRequest),
            CliJson.Default.DeploymentDto,
            cancellationToken);

    /// <summary>Polls a deployment until it has finished.</summary>
    public async Task<DeploymentDto> WaitForDeploymentAsync(string app, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var deployment = await GetDeploymentAsync(app, id, cancellationToken);
            if (DeploymentStates.IsFinished(deployment.State))
            {
                return deployment;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
    }
}

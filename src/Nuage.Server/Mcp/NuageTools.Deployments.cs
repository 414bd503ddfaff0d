using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Nuage.Core.Api;
using Nuage.Core.Errors;
using Nuage.Core.Deployments;
using Nuage.Core.State;

namespace Nuage.Server.Mcp;

internal sealed partial class NuageTools
{
    [McpServerTool(Name = "list_deployments", Title = "List deployments", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<Page<DeploymentDto>>))]
    [Description("Lists an app's deployments, newest first (state, kind, commit, failed stage), a page at a time.")]
    public Task<CallToolResult> ListDeployments(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Cursor from the previous page's data.next; omit for the first page."), MaxLength(ToolLimits.Cursor)] string? cursor = null,
        [Description("Deployments per page (1-50, default 10)."), Range(1, ToolLimits.MaxDeploymentsPage)] int? limit = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("list_deployments") { App = app, Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.Text("cursor", cursor, ToolLimits.Cursor);
            var size = args.Range("limit", limit, 1, ToolLimits.MaxDeploymentsPage, ToolLimits.DefaultDeploymentsPage);
            args.ThrowIfAny();
            var page = await deployments.ListAsync(caller, app, cursor, size, cancellationToken);
            var failed = page.Items.FirstOrDefault(d => d.State == DeploymentStates.Failed);
            var next = new List<NextCall>();
            if (page.Next is not null)
            {
                next.Add(ToolResults.Next("list_deployments", "next page", ("app", app), ("cursor", page.Next)));
            }

            if (failed is not null)
            {
                next.Add(ToolResults.Next("get_deployment", $"why {failed.Id} failed", ("app", app), ("deploymentId", failed.Id)));
            }

            return ToolResults.Success(new ToolOutput<Page<DeploymentDto>>
            {
                Data = page,
                Summary = page.Items.Count == 0
                    ? $"{app} has no deployments yet."
                    : $"{Plural(page.Items.Count, "deployment")} of {app}; newest {page.Items[0].Id} is {page.Items[0].State}.",
                Next = next,
            });
        }, cancellationToken);

    [McpServerTool(Name = "get_deployment", Title = "Get a deployment", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<DeploymentDto>))]
    [Description("Shows one deployment (the latest when deploymentId is omitted): state, every stage with its duration, and the failure reason.")]
    public Task<CallToolResult> GetDeployment(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Deployment id (dep_…); omit for the app's latest deployment."), MaxLength(ToolLimits.Id)] string? deploymentId = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("get_deployment") { App = app, Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.Text("deploymentId", deploymentId, ToolLimits.Id);
            args.ThrowIfAny();
            var dto = deploymentId is null
                ? (await deployments.ListAsync(caller, app, null, 1, cancellationToken)).Items.FirstOrDefault()
                    ?? throw Core.Errors.NuageException.NotFound(ErrorCodes.DeploymentNotFound, $"App \"{app}\" has no deployments yet.")
                : await deployments.GetAsync(caller, app, deploymentId, cancellationToken);
            var next = new List<NextCall>();
            string summary;
            if (dto.State == DeploymentStates.Failed)
            {
                summary = $"Deployment {dto.Id} of {app} failed at stage {dto.FailedStage ?? "?"}: {dto.FailureReason ?? "no reason recorded"}.";
                next.Add(ToolResults.Next("get_logs", "build and platform lines around the failure", ("app", app), ("source", DeploymentStages.IsBuildStage(dto.FailedStage) ? "build" : null), ("since", dto.CreatedAt.ToString("O"))));
                next.Add(ToolResults.Next("rollback", "if the app is broken, return to the previous release", ("app", app)));
            }
            else
            {
                summary = $"Deployment {dto.Id} of {app} is {dto.State}" + (dto.DurationMs is { } ms ? $" ({ms / 1000.0:0.#} s)." : ".");
                if (dto.State is DeploymentStates.Queued or DeploymentStates.Running)
                {
                    next.Add(ToolResults.Next("get_deployment", "poll until it finishes", ("app", app), ("deploymentId", dto.Id)));
                }
            }

            return ToolResults.Success(new ToolOutput<DeploymentDto> { Data = dto, Summary = summary, Next = next });
        }, cancellationToken);

    [McpServerTool(Name = "deploy", Title = "Deploy a release", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<DeploymentDto>))]
    [Description("Deploys an already built release again: the current one (default), or the one of a named deployment or commit. New instances replace the old ones after their health check. Returns the queued deployment; poll get_deployment.")]
    public Task<CallToolResult> Deploy(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Optional: deployment id whose release to deploy."), MaxLength(ToolLimits.Id)] string? deploymentId = null,
        [Description("Optional: commit id (7-64 hex characters) whose latest built release to deploy."), MaxLength(ToolLimits.Id)] string? commit = null,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("deploy") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(app, deploymentId, commit), DeployBudget = true }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.Text("deploymentId", deploymentId, ToolLimits.Id);
            args.Text("commit", commit, ToolLimits.Id);
            if (deploymentId is not null && commit is not null)
            {
                args.Add("commit", commit, "give deploymentId or commit, not both");
            }

            args.ThrowIfAny();
            var source = commit is null ? deploymentId : await ReleaseOfCommitAsync(caller, app, commit, cancellationToken);
            var dto = await deployments.ReuseAsync(caller, app, source, DeploymentKind.Redeploy, cancellationToken);
            return Started(app, dto, $"Redeploy {dto.Id} of {app} is {dto.State}" + (dto.CommitId is { } c ? $" (commit {c[..Math.Min(7, c.Length)]})." : "."));
        }, cancellationToken);

    [McpServerTool(Name = "rollback", Title = "Roll back", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<DeploymentDto>))]
    [Description("Returns the app to its previous successful release (or the release of a named deployment) without rebuilding. Returns the queued deployment; poll get_deployment.")]
    public Task<CallToolResult> Rollback(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Optional: deployment id whose release to return to; default the previous successful one."), MaxLength(ToolLimits.Id)] string? deploymentId = null,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("rollback") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(app, deploymentId), DeployBudget = true }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.Text("deploymentId", deploymentId, ToolLimits.Id);
            args.ThrowIfAny();
            var dto = await deployments.ReuseAsync(caller, app, deploymentId, DeploymentKind.Rollback, cancellationToken);
            return Started(app, dto, $"Rollback {dto.Id} of {app} is {dto.State}, to the release of {dto.CommitId ?? "an earlier deployment"}.");
        }, cancellationToken);

    private async Task<string> ReleaseOfCommitAsync(Core.Auth.Caller caller, string app, string commit, CancellationToken cancellationToken)
    {
        var recent = await deployments.ListAsync(caller, app, null, 200, cancellationToken);
        return recent.Items.FirstOrDefault(d => d.State == DeploymentStates.Succeeded && d.CommitId is { } c && c.StartsWith(commit, StringComparison.OrdinalIgnoreCase))?.Id
            ?? throw Core.Errors.NuageException.NotFound(
                ErrorCodes.ReleaseNotFound, $"App \"{app}\" has no successful deployment of commit \"{commit}\" among its last 200; list_deployments shows them.");
    }

    private static CallToolResult Started(string app, DeploymentDto dto, string summary) => ToolResults.Success(new ToolOutput<DeploymentDto>
    {
        Data = dto,
        Summary = summary,
        Next = [ToolResults.Next("get_deployment", "follow it until it succeeds or fails", ("app", app), ("deploymentId", dto.Id))],
    });
}

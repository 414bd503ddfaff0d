using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Nuage.Core.Api;

namespace Nuage.Server.Mcp;

internal sealed partial class NuageTools
{
    [McpServerTool(Name = "list_apps", Title = "List apps", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<Page<AppDto>>))]
    [Description("Lists the apps on this Nuage server (name, runtime, status, URL), a page at a time.")]
    public Task<CallToolResult> ListApps(
        [Description("Cursor from the previous page's data.next; omit for the first page."), MaxLength(ToolLimits.Cursor)] string? cursor = null,
        [Description("Apps per page (1-200, default 50)."), Range(1, ToolLimits.MaxAppsPage)] int? limit = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("list_apps") { Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            args.Text("cursor", cursor, ToolLimits.Cursor);
            var size = args.Range("limit", limit, 1, ToolLimits.MaxAppsPage, 50);
            args.ThrowIfAny();
            var page = await apps.ListAsync(caller, cursor, size, cancellationToken);
            var next = page.Items.Take(3).Select(a => ToolResults.Next("get_app", $"details of {a.Name}", ("app", a.Name))).ToList();
            if (page.Next is not null)
            {
                next.Insert(0, ToolResults.Next("list_apps", "next page", ("cursor", page.Next)));
            }

            return ToolResults.Success(new ToolOutput<Page<AppDto>>
            {
                Data = page,
                Summary = page.Items.Count == 0 ? "There are no apps." : $"{Plural(page.Items.Count, "app")}: {string.Join(", ", page.Items.Select(a => $"{a.Name} ({a.Status})"))}.",
                Next = next,
            });
        }, cancellationToken);

    [McpServerTool(Name = "get_app", Title = "Get an app", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AppView>))]
    [Description("Shows one app: status, runtime, flavor, instance count and each instance's state, current release and URL.")]
    public Task<CallToolResult> GetApp(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("get_app") { App = app, Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.ThrowIfAny();
            var dto = await apps.GetAsync(caller, app, cancellationToken);
            var config = await apps.FindAsync(caller, app, cancellationToken);
            var live = instances.States(config.Id)
                .OrderBy(s => s.InstanceId, StringComparer.Ordinal)
                .Select(s => new InstanceView(s.InstanceId, s.Kind.ToString().ToLowerInvariant(), s.Status.ToString().ToLowerInvariant(), s.DeploymentId, s.Restarts, s.ExitCode, s.StartedAt))
                .ToList();
            DeploymentDto? current = dto.CurrentDeploymentId is { } id ? await deployments.GetAsync(caller, app, id, cancellationToken) : null;
            var running = live.Count(i => i.Status == "running");
            var summary = $"{dto.Name} is {dto.Status}: {dto.Runtime}, {dto.Instances} × {dto.Flavor}, {running}/{live.Count} instances running"
                + (current is null ? ", no release yet" : $", release {current.Id}") + $", at {dto.Url}.";
            return ToolResults.Success(new ToolOutput<AppView>
            {
                Data = new AppView(dto, live, current),
                Summary = summary,
                Next =
                [
                    ToolResults.Next("list_deployments", "recent deployments", ("app", dto.Name)),
                    ToolResults.Next("get_logs", "recent log lines", ("app", dto.Name)),
                ],
            });
        }, cancellationToken);

    private sealed record InstanceView(string Id, string Kind, string Status, string DeploymentId, int Restarts, int? ExitCode, DateTimeOffset StartedAt);

    private sealed record AppView(AppDto App, IReadOnlyList<InstanceView> Instances, DeploymentDto? CurrentRelease);
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Nuage.Core.Apps;

namespace Nuage.Server.Mcp;

internal sealed partial class NuageTools
{
    [McpServerTool(Name = "scale", Title = "Scale an app", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AppOperationResult>))]
    [Description("Changes an app's number of instances and/or flavor (size). Running apps get new instances of the current release, switched after their health check.")]
    public Task<CallToolResult> Scale(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Instances to run (1-32)."), Range(1, ToolLimits.MaxInstances)] int? instances = null,
        [Description("Instance size."), AllowedValues("pico", "nano", "XS", "S", "M", "L", "XL")] string? flavor = null,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("scale") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(app, instances?.ToString(CultureInfo.InvariantCulture), flavor) }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            if (instances is not null)
            {
                args.Range("instances", instances, 1, ToolLimits.MaxInstances, 1);
            }

            var size = args.OneOf("flavor", flavor, [.. Flavors.All.Select(f => f.Name)], StringComparison.OrdinalIgnoreCase);
            if (instances is null && flavor is null)
            {
                args.Add("instances", null, $"give instances (1-{ToolLimits.MaxInstances}) and/or flavor ({Flavors.Accepted})");
            }

            args.ThrowIfAny();
            var result = await operations.ScaleAsync(caller, app, instances, size, cancellationToken);
            return Operated(app, result);
        }, cancellationToken);

    [McpServerTool(Name = "restart_app", Title = "Restart an app", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AppOperationResult>))]
    [Description("Replaces an app's instances with fresh ones of the current release; the old ones stop after the new ones pass their health check.")]
    public Task<CallToolResult> RestartApp(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("restart_app") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(app) }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.ThrowIfAny();
            return Operated(app, await operations.RestartAsync(caller, app, cancellationToken));
        }, cancellationToken);

    private static CallToolResult Operated(string app, AppOperationResult result) => ToolResults.Success(new ToolOutput<AppOperationResult>
    {
        Data = result,
        Summary = result.Summary + (result.Deployment is { } d ? $"; deployment {d.Id} is {d.State}." : "."),
        Next = result.Deployment is { } dep
            ? [ToolResults.Next("get_deployment", "follow it until it succeeds or fails", ("app", app), ("deploymentId", dep.Id))]
            : [ToolResults.Next("get_app", "check the app", ("app", app))],
    });
}

using Nuage.Core.Variables;
using Nuage.Logs.Storage;
using Nuage.Server.Apps;
using Nuage.Server.Deployments;
using Nuage.Server.Env;
using Nuage.Server.Instances;

namespace Nuage.Server.Mcp;

/// <summary>
/// The MCP tools: one task each, thin adapters over the application services (which check the caller's role).
/// Every tool returns <see cref="ToolOutput"/> as structured content. No generic command, SQL or shell tool.
/// </summary>
[ModelContextProtocol.Server.McpServerToolType]
internal sealed partial class NuageTools(
    ToolRunner runner,
    AppService apps,
    AppInstances instances,
    DeploymentService deployments,
    EnvService env,
    EnvPolicy envPolicy,
    VariableValidator validator,
    LogStore logs,
    IAppOperations operations,
    TimeProvider time,
    Addons.AddonService addons)
{
    internal const string IntentDescription = "Optional: why you are calling (one sentence); recorded in the platform's audit log.";
    internal const string AppDescription = "App name (lowercase letters, digits and dashes), as list_apps shows it.";
    internal const string KeyDescription = "Optional: a unique key per intended change; retrying with the same key returns the first result instead of applying twice.";

    private static readonly string[] SourceNames = ["app", "build", "access", "platform"];

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Fingerprint(params string?[] parts) => string.Join('\u001f', parts.Select(p => p ?? "\u0000"));

    private static void CheckApp(ToolArgs args, string? app) => args.Text("app", app, ToolLimits.AppName, required: true);
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Variables;
using Role = Nuage.Core.Auth.Role;

namespace Nuage.Server.Mcp;

internal sealed partial class NuageTools
{
    internal const string SecretPolicy =
        "Values of variables the registry does not know as harmless (user variables, passwords, keys) are never returned over MCP and show as ***; read them with 'nuage env' in a terminal.";

    [McpServerTool(Name = "list_variables", Title = "List deployment variables", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<IReadOnlyList<VariableInfo>>))]
    [Description("Lists the deployment variables Nuage knows (CC_* and others): type, accepted values, default, runtimes. Use it to check a name or value before set_env.")]
    public Task<CallToolResult> ListVariables(
        [Description("Only variables that apply to this runtime (common ones included)."), AllowedValues("static", "node", "python", "php", "dotnet", "go", "procfile")] string? runtime = null,
        [Description("Only variables whose name or description contains this text (case-insensitive)."), MaxLength(ToolLimits.Search)] string? search = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("list_variables") { Intent = intent }, caller =>
        {
            var args = new ToolArgs();
            var rt = args.OneOf("runtime", runtime, Runtimes.All);
            args.Text("search", search, ToolLimits.Search);
            args.ThrowIfAny();
            caller.Require(Role.Viewer, "Reading the variable registry");
            var found = validator.Describe(rt)
                .Where(v => string.IsNullOrEmpty(search)
                    || v.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                    || v.Description.Contains(search, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return Task.FromResult(ToolResults.Success(new ToolOutput<IReadOnlyList<VariableInfo>>
            {
                Data = found,
                Summary = $"{Plural(found.Count, "variable")}" + (rt is null ? string.Empty : $" for {rt}") + (string.IsNullOrEmpty(search) ? "." : $" matching \"{search}\"."),
                Source = "the deployment-variable registry, with the tool versions detected on this host",
                Next = [new NextCall("set_env", new Dictionary<string, string>(StringComparer.Ordinal), "set one on an app (validated against this registry)")],
            }));
        }, cancellationToken);

    [McpServerTool(Name = "get_env", Title = "Get an app's variables", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<EnvView>))]
    [Description("Shows an app's environment variables: every name, and values only of variables known not to be secret (secrets show as ***).")]
    public Task<CallToolResult> GetEnv(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("get_env") { App = app, Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.ThrowIfAny();
            var dto = await env.GetAsync(caller, app, cancellationToken);
            var redacted = dto.Variables.Keys.Where(envPolicy.IsSecret).Order(StringComparer.Ordinal).ToList();
            var shown = new SortedDictionary<string, string>(
                dto.Variables.ToDictionary(kv => kv.Key, kv => envPolicy.IsSecret(kv.Key) ? Env.EnvService.Redacted : kv.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);
            return ToolResults.Success(new ToolOutput<EnvView>
            {
                Data = new EnvView(shown, redacted),
                Summary = $"{app} has {Plural(shown.Count, "variable")}" + (redacted.Count == 0 ? "." : $", {redacted.Count} redacted."),
                Policy = SecretPolicy,
                Next = [ToolResults.Next("list_variables", "what each deployment variable accepts")],
            });
        }, cancellationToken);

    [McpServerTool(Name = "set_env", Title = "Set an app variable", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<SetEnvView>))]
    [Description("Sets one environment variable of an app, validated by the deployment-variable registry (typos get a did-you-mean). Takes effect at the next deploy.")]
    public Task<CallToolResult> SetEnv(
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Variable name: letters, digits and underscores, not starting with a digit."), MaxLength(ToolLimits.VariableName)] string name,
        [Description("Value to store."), MaxLength(ToolLimits.VariableValue)] string value,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("set_env") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(app, name, value) }, async caller =>
        {
            var args = new ToolArgs();
            CheckApp(args, app);
            args.Text("name", name, ToolLimits.VariableName, required: true);
            args.Text("value", value, ToolLimits.VariableValue, required: true);
            args.ThrowIfAny();
            var dto = await env.SetAsync(caller, app, name, value, cancellationToken);
            var secret = envPolicy.IsSecret(name);
            return ToolResults.Success(new ToolOutput<SetEnvView>
            {
                Data = new SetEnvView(name, secret ? Env.EnvService.Redacted : value, dto.Variables.Count, dto.Warnings),
                Summary = $"Set {name} on {app}; it applies at the next deploy." + (dto.Warnings.Count > 0 ? $" Warnings: {string.Join(" ", dto.Warnings)}" : string.Empty),
                Policy = secret ? SecretPolicy : null,
                Next = [ToolResults.Next("deploy", "apply the change by redeploying the current release", ("app", app))],
            });
        }, cancellationToken);

    private sealed record EnvView(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Redacted);

    private sealed record SetEnvView(string Name, string Value, int VariableCount, IReadOnlyList<string> Warnings);
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Server.Mcp;

internal sealed partial class NuageTools
{
    internal const string AddonDescription = "Add-on name (lowercase letters, digits and dashes), as list_addons shows it.";

    [McpServerTool(Name = "list_addons", Title = "List add-ons", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<IReadOnlyList<AddonDto>>))]
    [Description("Lists the add-ons (managed PostgreSQL, MySQL/MariaDB and Redis databases): type, plan, status and linked apps. Never shows credentials.")]
    public Task<CallToolResult> ListAddons(
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("list_addons") { Intent = intent }, async caller =>
        {
            var list = await addons.ListAsync(caller, cancellationToken);
            return ToolResults.Success(new ToolOutput<IReadOnlyList<AddonDto>>
            {
                Data = list,
                Summary = list.Count == 0 ? "There are no add-ons." : $"{Plural(list.Count, "add-on")}: {string.Join(", ", list.Select(a => $"{a.Name} ({a.Type}, {a.Status})"))}.",
                Next = [.. list.Take(3).Select(a => ToolResults.Next("get_addon", $"details of {a.Name}", ("addon", a.Name)))],
            });
        }, cancellationToken);

    [McpServerTool(Name = "get_addon", Title = "Get an add-on", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AddonDto>))]
    [Description("Shows one add-on: type, version, plan, status (with the server's last error lines when it failed), address and linked apps. Never shows credentials.")]
    public Task<CallToolResult> GetAddon(
        [Description(AddonDescription), MaxLength(ToolLimits.AppName)] string addon,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("get_addon") { Target = addon, Intent = intent }, async caller =>
        {
            var args = new ToolArgs();
            args.Text("addon", addon, ToolLimits.AppName, required: true);
            args.ThrowIfAny();
            var dto = await addons.GetAsync(caller, addon, cancellationToken);
            return ToolResults.Success(new ToolOutput<AddonDto>
            {
                Data = dto,
                Summary = $"{dto.Name} is a {dto.Type} {dto.Version} add-on (plan {dto.Plan}), {dto.Status}, linked to "
                    + (dto.LinkedApps.Count == 0 ? "no app." : string.Join(", ", dto.LinkedApps) + "."),
                Next = [ToolResults.Next("link_addon", "give an app its variables", ("addon", dto.Name))],
            });
        }, cancellationToken);

    [McpServerTool(Name = "create_addon", Title = "Create an add-on", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AddonDto>))]
    [Description("Creates an add-on: a dedicated, supervised and sandboxed database server with random credentials, returning once it accepts connections; "
        + "or, with external, registers an existing server (a managed database elsewhere) that linked apps then reach with the same variables.")]
    public Task<CallToolResult> CreateAddon(
        [Description("Name of the new add-on (2-48 of a-z, 0-9 and '-')."), MaxLength(ToolLimits.AppName)] string name,
        [Description("Database type."), AllowedValues(AddonTypes.PostgreSql, AddonTypes.MySql, AddonTypes.Redis)] string type,
        [Description("Size (memory, CPU, disk, connections); xs when omitted."), AllowedValues("xs", "s", "m", "l")] string? plan = null,
        [Description("Register an existing server instead of starting one: its URL, e.g. postgres://USER:PASSWORD@HOST:5432/DB, mysql://…, redis://:PASSWORD@HOST:6379/0. "
            + "The password is stored sealed and never returned, but it passes through this conversation: for production credentials prefer 'nuage addon create --external -'."),
            MaxLength(ToolLimits.ExternalUrl)] string? external = null,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("create_addon") { Target = name, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(name, type, plan, Digest(external)) }, async caller =>
        {
            var args = new ToolArgs();
            args.Text("name", name, ToolLimits.AppName, required: true);
            var kind = args.OneOf("type", type, [.. AddonTypes.All.Select(t => t.Name)]);
            var size = args.OneOf("plan", plan, [.. AddonPlans.All.Select(p => p.Name)]);
            args.ThrowIfAny();
            if (external?.Length > ToolLimits.ExternalUrl)
            {
                // Checked here rather than by ToolArgs.Text, whose error would quote the start of the value (the password with it).
                throw Core.Errors.NuageException.Invalid("external", AddonSourceUrl.RedactRaw(external[..64]) + "…", $"is {external.Length} characters long; at most {ToolLimits.ExternalUrl} are accepted");
            }

            var dto = await addons.CreateAsync(caller, new CreateAddonRequest { Name = name, Type = kind, Plan = size, External = external }, cancellationToken);
            return ToolResults.Success(new ToolOutput<AddonDto>
            {
                Data = dto,
                Summary = external is null
                    ? $"Created {dto.Type} add-on {dto.Name} ({dto.Status})."
                    : $"Registered external {dto.Type} server {dto.Host}:{dto.Port} as add-on {dto.Name} ({(dto.Answers == true ? "it answers" : "it does not answer yet")}).",
                Next = [ToolResults.Next("link_addon", "link it to an app", ("addon", dto.Name))],
            });
        }, cancellationToken);

    [McpServerTool(Name = "link_addon", Title = "Link an add-on to an app", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ToolOutput<AddonDto>))]
    [Description("Links an add-on to an app: the app's instances may connect to it, and its next deploy or restart gets the add-on's variables (POSTGRESQL_ADDON_*, MYSQL_ADDON_*, REDIS_*, DATABASE_URL/REDIS_URL).")]
    public Task<CallToolResult> LinkAddon(
        [Description(AddonDescription), MaxLength(ToolLimits.AppName)] string addon,
        [Description(AppDescription), MaxLength(ToolLimits.AppName)] string app,
        [Description("Restart the running app now through the health-gated path (no downtime) so its instances get the variables; the call returns once the restart ends.")] bool restart = false,
        [Description(KeyDescription), MaxLength(ToolLimits.IdempotencyKey)] string? idempotencyKey = null,
        [Description(IntentDescription), MaxLength(ToolLimits.Intent)] string? intent = null,
        CancellationToken cancellationToken = default) =>
        runner.RunAsync(new ToolCall("link_addon") { App = app, Intent = intent, IdempotencyKey = idempotencyKey, Fingerprint = Fingerprint(addon, app, restart ? "restart" : null) }, async caller =>
        {
            var args = new ToolArgs();
            args.Text("addon", addon, ToolLimits.AppName, required: true);
            CheckApp(args, app);
            args.ThrowIfAny();
            var dto = await addons.LinkAsync(caller, addon, new LinkAddonRequest { App = app, Restart = restart }, cancellationToken);
            var waiting = dto.Link is not { Restarted: true };
            return ToolResults.Success(new ToolOutput<AddonDto>
            {
                Data = dto,
                Summary = $"Linked {dto.Name} to {app}. {dto.Link?.Message}".TrimEnd(),
                Next = waiting ? [ToolResults.Next("restart_app", "apply the variables now (health-gated)", ("app", app))] : [],
            });
        }, cancellationToken);

    /// <summary>A digest of a secret-bearing argument, so the idempotency fingerprint does not hold the password itself.</summary>
    private static string? Digest(string? value) =>
        value is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}

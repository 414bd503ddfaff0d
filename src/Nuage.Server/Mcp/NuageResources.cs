using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.Variables;
using Nuage.Server.Apps;
using Nuage.Server.Env;

namespace Nuage.Server.Mcp;

/// <summary>Read-only context for agents: the variables' JSON Schema, app manifests and the user docs.</summary>
[McpServerResourceType]
internal sealed class NuageResources(IHttpContextAccessor http, VariableValidator validator, AppService apps, EnvService env)
{
    [McpServerResource(UriTemplate = "nuage://variables/schema", Name = "variables_schema", Title = "Deployment variables (JSON Schema)", MimeType = "application/schema+json")]
    [Description("JSON Schema (draft 2020-12) of an app's deployment variables on this server, with accepted values.")]
    public string VariablesSchema() => Guard(caller =>
    {
        caller.Require(Role.Viewer, "Reading the variable registry");
        return Task.FromResult(validator.Schema());
    }).GetAwaiter().GetResult();

    [McpServerResource(UriTemplate = "nuage://apps/{name}", Name = "app_manifest", Title = "App manifest", MimeType = "application/json")]
    [Description("An app's declared configuration: runtime, flavor, instances, current release, URL and variable names (no values).")]
    public Task<string> AppManifest([Description("App name.")] string name, CancellationToken cancellationToken) => Guard(async caller =>
    {
        var dto = await apps.GetAsync(caller, name, cancellationToken);
        var variables = await env.GetAsync(caller, name, cancellationToken);
        var manifest = new
        {
            dto.Name,
            dto.Runtime,
            dto.Flavor,
            dto.Instances,
            dto.Status,
            dto.Url,
            dto.CurrentDeploymentId,
            VariableNames = variables.Variables.Keys.Order(StringComparer.Ordinal).ToList(),
        };
        return JsonSerializer.Serialize(manifest, ToolResults.Json);
    });

    [McpServerResource(UriTemplate = "nuage://docs/runtimes", Name = "docs_runtimes", Title = "Runtimes guide", MimeType = "text/markdown")]
    [Description("How Nuage detects, builds and starts each runtime (docs/runtimes.md).")]
    public static string Runtimes() => Doc("runtimes");

    [McpServerResource(UriTemplate = "nuage://docs/troubleshooting", Name = "docs_troubleshooting", Title = "Troubleshooting guide", MimeType = "text/markdown")]
    [Description("Why deployments fail and apps do not answer, stage by stage, with the fix (docs/troubleshooting.md).")]
    public static string Troubleshooting() => Doc("troubleshooting");

    internal static string Doc(string name)
    {
        using var stream = typeof(NuageResources).Assembly.GetManifestResourceStream($"Nuage.Docs.{name}.md")
            ?? throw new InvalidOperationException($"docs/{name}.md is not embedded in Nuage.Server.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Resources answer protocol errors (the SDK's error codes) with the service's message.</summary>
    private async Task<string> Guard(Func<Caller, Task<string>> read)
    {
        var caller = McpHttpGate.Caller(http.HttpContext)
            ?? throw new McpProtocolException("This MCP request carries no authenticated token.", McpErrorCode.InvalidRequest);
        try
        {
            return await read(caller);
        }
        catch (NuageException e)
        {
            var code = e.Kind == ErrorKind.NotFound ? McpErrorCode.ResourceNotFound : McpErrorCode.InvalidParams;
            throw new McpProtocolException($"{ErrorKinds.Of(e.Kind).McpCode}: {e.Message}", code);
        }
    }
}

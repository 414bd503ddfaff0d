using Microsoft.AspNetCore.Http;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Server.Api;
using Nuage.Server.Security;

namespace Nuage.Server.Mcp;

/// <summary>
/// In front of <c>/mcp</c>: refuses Host/Origin headers outside the allow-list (DNS rebinding), then authenticates the
/// bearer token. Unauthenticated calls get 401 with <c>WWW-Authenticate: Bearer resource_metadata="…"</c> (RFC 9728).
/// </summary>
internal sealed class McpHttpGate(IReadOnlySet<string> allowedHosts)
{
    public const string Path = "/mcp";
    public const string MetadataPath = "/.well-known/oauth-protected-resource/mcp";

    private static readonly object CallerKey = new();

    public static Caller? Caller(HttpContext? context) => context?.Items[CallerKey] as Caller;

    /// <summary>Loopback names, the API listener's host (when it is not a wildcard) and the configured extra hosts.</summary>
    public static McpHttpGate For(string apiEndpoint, IEnumerable<string> extraHosts)
    {
        var hosts = new HashSet<string>(["localhost", "127.0.0.1", "::1", "[::1]"], StringComparer.OrdinalIgnoreCase);
        var apiHost = apiEndpoint[..apiEndpoint.LastIndexOf(':')];
        if (apiHost is not ("0.0.0.0" or "[::]" or "::"))
        {
            hosts.Add(apiHost);
        }

        hosts.UnionWith(extraHosts);
        return new McpHttpGate(hosts);
    }

    public bool IsAllowedHost(string host) => allowedHosts.Contains(host);

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!IsAllowedHost(context.Request.Host.Host))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.HostNotAllowed,
                $"Host \"{context.Request.Host.Host}\" is not allowed for /mcp; use a loopback name or add it to the MCP allowed hosts.", null);
            return;
        }

        if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || !IsAllowedHost(originUri.Host)))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.OriginNotAllowed,
                $"Origin \"{origin}\" is not allowed for /mcp (DNS-rebinding guard).", null);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var authenticator = (TokenAuthenticator)context.RequestServices.GetService(typeof(TokenAuthenticator))!;
        try
        {
            context.Items[CallerKey] = await authenticator.AuthenticateAsync(secret, context.RequestAborted);
        }
        catch (NuageException e) when (e.Kind == ErrorKind.Unauthorized)
        {
            var error = secret is null ? string.Empty : ", error=\"invalid_token\"";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{MetadataUrl(context)}\"{error}";
            var problem = new ProblemDto { Title = "Unauthorized", Status = 401, Detail = e.Message, Code = e.Code };
            await context.Response.WriteAsJsonAsync(problem, ApiJson.Options, "application/problem+json", context.RequestAborted);
            return;
        }

        await next();
    }

    /// <summary>RFC 9728 protected-resource metadata. Tokens come from 'nuage tokens create'; there is no authorization server.</summary>
    public static object Metadata(HttpContext context) => new Dictionary<string, object>
    {
        ["resource"] = $"{context.Request.Scheme}://{context.Request.Host}{Path}",
        ["bearer_methods_supported"] = new[] { "header" },
        ["resource_name"] = "Nuage MCP server",
    };

    private static string MetadataUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{MetadataPath}";
}

using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Nuage.Core.Audit;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Runtime.Sandboxing;
using Nuage.Server.Apps;
using Nuage.Server.Audit;
using Nuage.Server.Security;

namespace Nuage.Server.Git;

/// <summary>
/// The smart-HTTP git remote of each app at <c>/git/{app}.git</c>, served by <c>git http-backend</c> as CGI.
/// HTTP Basic (any user name, the token as password) or Bearer; fetching needs viewer, pushing developer.
/// </summary>
internal static partial class GitEndpoints
{
    public const string UploadPack = "git-upload-pack";
    public const string ReceivePack = "git-receive-pack";
    public const string Realm = "nuage";

    /// <summary>What the push hook's <c>nuage deploy</c> reads (Nuage.Cli.Git.SubmodulePolicy): allowed hosts, fetching uid.</summary>
    public const string SubmoduleHostsVariable = "NUAGE_SUBMODULE_HOSTS";
    public const string SubmoduleUidVariable = "NUAGE_SUBMODULE_UID";

    /// <summary>Maps <c>/git/{app}.git/…</c> on the API listener. Needs <see cref="GitServiceCollectionExtensions.AddNuageGit"/>.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var git = endpoints.MapGroup("/git/{app}.git").ExcludeFromDescription().WithMetadata(new UnlimitedBody());
        git.MapGet("/info/refs", (string app, HttpContext http) => ServeAsync(http, app, "info/refs"));
        git.MapPost("/" + UploadPack, (string app, HttpContext http) => ServeAsync(http, app, UploadPack));
        git.MapPost("/" + ReceivePack, (string app, HttpContext http) => ServeAsync(http, app, ReceivePack));
    }

    /// <summary>
    /// The git service a request is for: upload-pack (fetch, clone) or receive-pack (push). <c>info/refs</c> names it in
    /// its query: exactly one <c>service</c> of these two (or none: the dumb protocol, read-only) is accepted, so the
    /// service authorized here is the one git http-backend serves (it would take another occurrence than ours).
    /// </summary>
    internal static string ServiceOf(string path, StringValues serviceQuery)
    {
        if (path != "info/refs")
        {
            return path;
        }

        return serviceQuery.Count switch
        {
            0 => UploadPack,
            1 when serviceQuery[0] is UploadPack or ReceivePack => serviceQuery[0]!,
            1 => throw NuageException.Invalid("service", serviceQuery[0], $"expected {UploadPack} or {ReceivePack}"),
            _ => throw NuageException.Invalid("service", string.Join(",", serviceQuery.ToArray()), "give the service parameter once"),
        };
    }

    /// <summary>The one access rule of git remotes: pushing needs developer, everything else viewer.</summary>
    internal static void Authorize(Caller caller, string service)
    {
        if (service == ReceivePack)
        {
            caller.Require(Role.Developer, "Pushing to an app's git remote");
        }
        else
        {
            caller.Require(Role.Viewer, "Fetching from an app's git remote");
        }
    }

    /// <summary>The token in <c>Authorization: Basic</c> (its password) or <c>Bearer</c>; null when absent.</summary>
    internal static string? TokenOf(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? null : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Pushes are changes: each one gets one audit entry. A push is the receive-pack POST (accepted or refused);
    /// a push refused earlier, at its ref advertisement (<c>info/refs?service=git-receive-pack</c>), is recorded there.
    /// </summary>
    private static async Task ServeAsync(HttpContext http, string appName, string path)
    {
        var advertisement = path == "info/refs" && http.Request.Query["service"].ToString() == ReceivePack;
        if (path != ReceivePack && !advertisement)
        {
            await ServeAsync(http, appName, path, _ => { });
            return;
        }

        Caller? pusher = null;
        var outcome = AuditOutcomes.Failed;
        string? detail = null;
        try
        {
            await ServeAsync(http, appName, path, c => pusher = c);
            outcome = AuditTrail.OutcomeOf(http.Response.StatusCode);
            detail = http.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (NuageException e)
        {
            outcome = AuditOutcomes.Refused;
            detail = $"{ErrorKinds.Of(e.Kind).HttpStatus.ToString(CultureInfo.InvariantCulture)} {e.Code}";
            throw;
        }
        finally
        {
            // Every git client first asks without credentials and gets the Basic challenge: that is protocol, not an
            // attempt. A request that presented a token (even a wrong one) is recorded.
            var challenge = pusher is null && string.IsNullOrEmpty(http.Request.Headers.Authorization.ToString());
            if ((!advertisement || outcome != AuditOutcomes.Success) && !challenge)
            {
                await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
                    pusher, AuditEntryPoints.Git, "git push", appName, http.TraceIdentifier, outcome, detail);
            }
        }
    }

    private static async Task ServeAsync(HttpContext http, string appName, string path, Action<Caller> authenticated)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILogger<GitRepositories>>();
        var token = TokenOf(http.Request.Headers.Authorization.FirstOrDefault());
        Caller caller;
        try
        {
            caller = await services.GetRequiredService<TokenAuthenticator>().AuthenticateAsync(token, http.RequestAborted);
        }
        catch (NuageException e) when (e.Kind == ErrorKind.Unauthorized)
        {
            // Basic, so git asks for credentials (user name: anything; password: the token).
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
            await http.Response.WriteAsync(e.Message + " Use any user name and a Nuage token as the password.\n", http.RequestAborted);
            return;
        }

        authenticated(caller);
        var service = ServiceOf(path, http.Request.Query["service"]);
        Authorize(caller, service);
        var app = await services.GetRequiredService<AppService>().FindAsync(caller, appName, http.RequestAborted);
        var repositories = services.GetRequiredService<GitRepositories>();
        await repositories.EnsureAsync(app.Id, http.RequestAborted);

        var variables = CgiVariables(http, repositories.Root, $"/{GitRepositories.DirectoryName(app.Id)}/{path}", caller);
        variables["NUAGE_APP"] = app.Name;
        variables["NUAGE_URL"] = SelfUrl(http);
        variables["NUAGE_TOKEN"] = token!;
        variables["QUERY_STRING"] = path == "info/refs" && http.Request.Query.ContainsKey("service") ? "service=" + service : "";
        var options = services.GetRequiredService<GitRemoteOptions>();
        variables[SubmoduleHostsVariable] = string.Join(',', options.SubmoduleHosts);
        if (Environment.IsPrivilegedProcess)
        {
            // The push hook fetches submodules as the app's uid, never as root.
            variables[SubmoduleUidVariable] = AppUserIds.ForIndex(app.UidIndex).ToString(CultureInfo.InvariantCulture);
        }

        var result = await CgiBridge.RunAsync(http, options.Git, ["http-backend"], variables, http.RequestAborted);
        if (result.ExitCode != 0 || !result.HeadersSent)
        {
            LogBackendFailed(logger, app.Name, service, result.ExitCode, result.Error.Trim());
            if (!result.HeadersSent)
            {
                throw new InvalidOperationException($"git http-backend exited with {result.ExitCode} without a response: {result.Error.Trim()}");
            }
        }
        else if (service == ReceivePack && http.Request.Method == HttpMethods.Post)
        {
            LogPushed(logger, app.Name, caller.TokenId);
        }
    }

    private static Dictionary<string, string?> CgiVariables(HttpContext http, string projectRoot, string pathInfo, Caller caller)
    {
        var request = http.Request;
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["SERVER_PROTOCOL"] = request.Protocol,
            ["REQUEST_METHOD"] = request.Method,
            ["GIT_PROJECT_ROOT"] = projectRoot,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["PATH_INFO"] = pathInfo,
            ["CONTENT_TYPE"] = request.ContentType ?? "",
            ["REMOTE_USER"] = caller.TokenId,
            ["REMOTE_ADDR"] = http.Connection.RemoteIpAddress?.ToString() ?? "",
            ["GIT_DIR"] = null,
            ["GIT_WORK_TREE"] = null,
        };
        if (request.ContentLength is { } length)
        {
            variables["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.FirstOrDefault() is { } encoding)
        {
            variables["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].FirstOrDefault() is { } protocol)
        {
            variables["HTTP_GIT_PROTOCOL"] = protocol;
        }

        return variables;
    }

    /// <summary>How a hook on this machine reaches this API: the address the request arrived on.</summary>
    private static string SelfUrl(HttpContext http)
    {
        var local = http.Connection.LocalIpAddress ?? IPAddress.Loopback;
        if (local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any))
        {
            local = IPAddress.Loopback;
        }

        var host = local.IsIPv4MappedToIPv6 ? local.MapToIPv4().ToString() : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"{http.Request.Scheme}://{host}:{http.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Git pushes are as large as the repository: the API's JSON body cap does not apply.</summary>
    private sealed class UnlimitedBody : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "git http-backend for {App} ({Service}) exited with {ExitCode}: {Error}")]
    private static partial void LogBackendFailed(ILogger logger, string app, string service, int exitCode, string error);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Push to {App} by token {TokenId}")]
    private static partial void LogPushed(ILogger logger, string app, string tokenId);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.WebConsole;

/// <summary>
/// The web console on the API listener: <c>/</c> is its page, <c>/console/*</c> its embedded files and its session
/// endpoints. Everything it shows or changes goes through the REST API under <c>/v1</c> (same services, same roles),
/// authenticated by the session cookie instead of a bearer header.
/// </summary>
internal static class ConsoleEndpoints
{
    /// <summary>
    /// No inline script or style, nothing from another origin, no framing (clickjacking), no plugins, forms post
    /// only here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext http, ConsoleAssets assets) => Serve(http, assets, "index.html")).ExcludeFromDescription();
        endpoints.MapGet("/console/{file}", (string file, HttpContext http, ConsoleAssets assets) => Serve(http, assets, file)).ExcludeFromDescription();
        endpoints.MapGet("/console/v/{version}/{file}", (string version, string file, HttpContext http, ConsoleAssets assets) =>
            Serve(http, assets, file, immutable: version == assets.Version)).ExcludeFromDescription();

        var session = endpoints.MapGroup("/console/session").ExcludeFromDescription();
        session.MapPost("/", async (SignInRequest? request, HttpContext http, ConsoleSessions sessions, IStateStore store) =>
        {
            CheckSameOrigin(http);
            var (caller, opened) = await sessions.SignInAsync(http, request?.Token, http.RequestAborted);
            return await DescribeAsync(caller, opened.Csrf, store, http.RequestAborted);
        });
        session.MapGet("/", async (HttpContext http, ConsoleSessions sessions, Security.TokenAuthenticator authenticator, IStateStore store) =>
        {
            var current = sessions.Find(http) ?? throw NuageException.Unauthorized("Not signed in to the console.");
            var caller = await authenticator.AuthenticateHashAsync(current.TokenHash, http.RequestAborted);
            return await DescribeAsync(caller, current.Csrf, store, http.RequestAborted);
        });
        session.MapDelete("/", (HttpContext http, ConsoleSessions sessions) =>
        {
            if (sessions.Find(http) is { } current)
            {
                ConsoleSessions.CheckCsrf(http, current);
            }

            sessions.SignOut(http);
            return TypedResults.NoContent();
        });
    }

    /// <summary>The session as the page needs it, with what <c>/v1/whoami</c> says too (one request fewer per page load).</summary>
    private static async Task<ConsoleSessionDto> DescribeAsync(Caller caller, string csrf, IStateStore store, CancellationToken cancellationToken)
    {
        var org = caller.OrgId is null ? null : await store.Orgs.FindByIdAsync(caller.OrgId, cancellationToken);
        return new ConsoleSessionDto(caller.TokenId, caller.Role.ToString().ToLowerInvariant(), caller.Description, csrf)
        {
            Org = org?.Name,
            Operator = caller.IsOperator,
        };
    }

    /// <summary>Security headers for every console response (pages, files, session answers).</summary>
    public static Task AddSecurityHeadersAsync(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path;
        if (path == "/" || path.StartsWithSegments("/console"))
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
        }

        return next();
    }

    /// <summary>Sign-in is refused from another origin (login CSRF: a page elsewhere signing the browser in as someone else).</summary>
    private static void CheckSameOrigin(HttpContext http)
    {
        if (!ConsoleSessions.IsSameOrigin(http))
        {
            throw new NuageException(ErrorKind.Forbidden, ErrorCodes.CsrfFailed, $"Origin \"{http.Request.Headers.Origin}\" is not this console's; sign in from the console's own page.");
        }
    }

    private static IResult Serve(HttpContext http, ConsoleAssets assets, string file, bool immutable = false)
    {
        if (assets.Find(file) is not { } asset)
        {
            throw NuageException.NotFound(ErrorCodes.NotFound, $"The console has no file \"{file}\".");
        }

        // Under the current version a file never changes; anything else (the page, an old version's link) is checked each time.
        http.Response.Headers.CacheControl = immutable ? "private, max-age=31536000, immutable" : "no-cache";
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }
}

/// <summary>Body of <c>POST /console/session</c>.</summary>
internal sealed record SignInRequest
{
    public string? Token { get; init; }
}

/// <summary>Who the console is signed in as, and the CSRF token its scripts send with every change.</summary>
internal sealed record ConsoleSessionDto(string TokenId, string Role, string Description, string Csrf)
{
    /// <summary>The organisation the session acts in (null for the platform operator).</summary>
    public string? Org { get; init; }

    public bool Operator { get; init; }
}

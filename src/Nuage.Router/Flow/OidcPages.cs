using System.Net;
using Microsoft.AspNetCore.Http;

namespace Nuage.Router.Flow;

/// <summary>The small HTML pages of an OIDC-protected app's sign-in (errors, 403): never cached, always with the request id.</summary>
internal static class OidcPages
{
    public static Task WriteAsync(HttpContext context, int status, string title, string message, bool signOut = false)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Request-Id"] = context.TraceIdentifier;
        var link = signOut ? $"<p><a href=\"{OidcPaths.SignOut}\">Sign out</a></p>" : "<p><a href=\"/\">Open the app again</a></p>";
        return response.WriteAsync(
            $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body>"
            + $"<h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p>{link}"
            + $"<p><small>Request id: {WebUtility.HtmlEncode(context.TraceIdentifier)}</small></p></body></html>\n",
            context.RequestAborted);
    }
}

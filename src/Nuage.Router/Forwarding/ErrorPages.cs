using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Nuage.Router.Forwarding;

/// <summary>The router's own answers (404, 503, 502, 504, 400): a short HTML page that says what happened and what to do.</summary>
internal sealed class ErrorPages(int retryAfterSeconds)
{
    private readonly string _retryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public Task UnknownHostAsync(HttpContext context, string host) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "No app here",
            $"No app is served at <b>{Encode(host)}</b>. Check the address, or add the domain to an app with <code>nuage domain add</code>.", retry: false);

    public Task NoHealthyInstanceAsync(HttpContext context, string appName) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "App unavailable",
            $"The app <b>{Encode(appName)}</b> has no healthy instance right now. Try again in a few seconds.", retry: true);

    public Task NoReleaseAsync(HttpContext context, string appName) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Nothing deployed yet",
            $"The app <b>{Encode(appName)}</b> has no release yet. Deploy it with <code>nuage deploy</code>.", retry: true);

    public Task StoppedAsync(HttpContext context, string appName) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "App stopped",
            $"The app <b>{Encode(appName)}</b> is stopped by its owner. Start it again with <code>nuage start</code>.", retry: false);

    public Task RestoringAsync(HttpContext context, string appName) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "App starting",
            $"The server has just started and is bringing <b>{Encode(appName)}</b> back. Try again in a moment.", retry: true);

    public Task BadRequestAsync(HttpContext context, string reason)
    {
        context.Response.Headers.Connection = "close";
        return WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", Encode(reason), retry: false);
    }

    public Task TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.Headers.Connection = "close";
        return WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The request body is larger than the router accepts ({limit.ToString(CultureInfo.InvariantCulture)} bytes).", retry: false);
    }

    /// <summary>Replaces YARP's empty 502/504 with a page, when nothing was sent to the client yet.</summary>
    public Task BackendFailedAsync(HttpContext context, string appName)
    {
        var status = context.Response.StatusCode == StatusCodes.Status504GatewayTimeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        var text = status == StatusCodes.Status504GatewayTimeout
            ? $"The app <b>{Encode(appName)}</b> did not answer in time."
            : $"The app <b>{Encode(appName)}</b> could not be reached or closed the connection.";
        return WriteAsync(context, status, status == StatusCodes.Status504GatewayTimeout ? "Gateway timeout" : "Bad gateway", text, retry: false);
    }

    private Task WriteAsync(HttpContext context, int status, string title, string html, bool retry)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (retry)
        {
            response.Headers[HeaderNames.RetryAfter] = _retryAfter;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var page = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{status} {title}</title></head>"
            + $"<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\"><h1>{status} {title}</h1><p>{html}</p>"
            + "<p><small>Nuage router</small></p></body></html>\n";
        return response.WriteAsync(page, context.RequestAborted);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

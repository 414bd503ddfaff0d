using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuage.Core.Audit;
using Nuage.Server.Api;

namespace Nuage.Server.Audit;

/// <summary>
/// Records every mutating REST request (any method but GET/HEAD/OPTIONS under /v1) in the audit trail once it is
/// answered, whether it succeeded or was refused (unauthenticated attempts included). Runs outside the problem
/// handler, so it sees the final status. Every /v1 answer carries its request id in <c>X-Request-Id</c>.
/// </summary>
internal static class RestAudit
{
    public const string RequestIdHeader = "X-Request-Id";

    private static readonly object SkipKey = new();

    /// <summary>Marks a request that changed nothing and is not worth an entry (a device sign-in poll still pending).</summary>
    public static void Skip(HttpContext context) => context.Items[SkipKey] = true;

    private static readonly object DetailKey = new();

    /// <summary>Adds why a request was refused to its entry (e.g. which ID-token check failed).</summary>
    public static void Explain(HttpContext context, string reason) => context.Items[DetailKey] = reason;

    public static bool IsMutating(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    public static async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next();
            return;
        }

        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        if (!IsMutating(context.Request.Method))
        {
            await next();
            return;
        }

        try
        {
            await next();
        }
        finally
        {
            if (!context.Items.ContainsKey(SkipKey))
            {
                await RecordAsync(context);
            }
        }
    }

    private static async Task RecordAsync(HttpContext context)
    {
        var trail = (AuditTrail)context.RequestServices.GetService(typeof(AuditTrail))!;
        var status = context.Response.StatusCode;
        var code = Problems.CodeOf(context);
        var detail = code is null ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{status} {code}";
        if (context.Items[DetailKey] is string reason)
        {
            detail += ": " + Clip(reason);
        }

        await trail.RecordAsync(
            context.CallerOrNull(),
            AuditEntryPoints.Rest,
            ActionOf(context),
            context.CallerOrNull()?.Activity.Target ?? TargetOf(context),
            context.TraceIdentifier,
            AuditTrail.OutcomeOf(status),
            detail);
    }

    /// <summary>The method and the route template (<c>POST /v1/apps/{app}/env/{name}</c>), not the raw path.</summary>
    private static string ActionOf(HttpContext context)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var path = pattern is null ? context.Request.Path.ToString() : "/" + pattern.TrimStart('/');
        return $"{context.Request.Method} {Clip(path)}";
    }

    /// <summary>The resource the request names: the app, else the add-on, else the organisation, else the token id.</summary>
    private static string? TargetOf(HttpContext context)
    {
        var values = context.Request.RouteValues;
        foreach (var key in (string[])["app", "addon", "org", "id"])
        {
            if (values.TryGetValue(key, out var value) && value is string s && s.Length > 0)
            {
                return Clip(s);
            }
        }

        return null;
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200];
}

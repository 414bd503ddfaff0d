using Microsoft.AspNetCore.Http;
using Nuage.Core.Auth;
using Nuage.Server.Security;
using Nuage.Server.WebConsole;

namespace Nuage.Server.Api;

/// <summary>Authenticates every API request before its endpoint runs and makes the caller available to it.</summary>
internal static class CallerContext
{
    private static readonly object Key = new();

    public static Caller Caller(this HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>Sets the caller of an anonymous endpoint once it knows who signed in (the audit trail records them).</summary>
    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    /// <summary>The caller when the request was authenticated (the audit trail records refusals before that too).</summary>
    public static Caller? CallerOrNull(this HttpContext context) => context.Items[Key] as Caller;

    public static async Task AuthenticateAsync(HttpContext context, Func<Task> next)
    {
        var header = context.Request.Headers.Authorization.ToString();
        // The web console authenticates with its session cookie (CSRF-checked) when no bearer token is sent.
        if (header.Length == 0
            && await context.RequestServices.GetRequiredService<ConsoleSessions>().AuthenticateAsync(context, context.RequestAborted) is { } sessionCaller)
        {
            context.Items[Key] = sessionCaller;
            await next();
            return;
        }

        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var authenticator = context.RequestServices.GetRequiredService<TokenAuthenticator>();
        var org = context.Request.Headers[TokenAuthenticator.OrgHeader].ToString();
        context.Items[Key] = await authenticator.AuthenticateAsync(secret, org, context.RequestAborted);
        await next();
    }

    private static T GetRequiredService<T>(this IServiceProvider services)
        where T : notnull => (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered."));
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Nuage.Router.AccessLog;
using Nuage.Router.Health;
using Nuage.Router.Metrics;
using Nuage.Router.Routing;
using Nuage.Router.StaticFiles;
using Yarp.ReverseProxy.Forwarder;

namespace Nuage.Router.Forwarding;

/// <summary>
/// The whole request pipeline, as one terminal delegate: find the app by Host, pick an instance, forward with YARP's
/// <see cref="IHttpForwarder"/>, retry a connection failure on another instance when that is safe, then record metrics
/// and the access log. A static site's requests are answered from its files by <see cref="StaticFileHandler"/> instead.
/// No routing middleware, no per-request DI scope.
/// </summary>
internal sealed class ProxyHandler(
    RouteTable table,
    IHttpForwarder forwarder,
    HttpMessageInvoker client,
    ForwarderRequestConfig requestConfig,
    ForwardingTransformer transformer,
    ErrorPages pages,
    PassiveHealth passiveHealth,
    RouterMetrics metrics,
    AccessLogWriter accessLog,
    StaticFileHandler staticFiles,
    Acme.AcmeChallenges challenges,
    Flow.FlowEnvironment flowEnvironment,
    TimeProvider time,
    ILogger logger,
    long maxRequestBodyBytes)
{
    private const int MaxAttempts = 3;
    private readonly RequestIds _requestIds = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var request = context.Request;
        var requestId = EnsureRequestId(context);
        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host))
        {
            context.Response.Headers[ForwardingTransformer.RequestIdHeader] = requestId;
            await pages.BadRequestAsync(context, "The request has no Host header.");
            return;
        }

        if (request.ContentLength > maxRequestBodyBytes)
        {
            // Refused before any byte reaches the app (Kestrel would only fail the body read, mid-forward).
            context.Response.Headers[ForwardingTransformer.RequestIdHeader] = requestId;
            await pages.TooLargeAsync(context, maxRequestBodyBytes);
            return;
        }

        if (!challenges.IsEmpty && challenges.TryAnswer(request, out var keyAuthorization))
        {
            // An ACME CA validating a certificate order (RFC 8555 §8.3): answered before any app rule (redirects, auth).
            context.Response.Headers[ForwardingTransformer.RequestIdHeader] = requestId;
            context.Response.ContentType = "application/octet-stream";
            await context.Response.WriteAsync(keyAuthorization, context.RequestAborted);
            return;
        }

        var app = table.Current.Find(host);
        if (app is null)
        {
            context.Response.Headers[ForwardingTransformer.RequestIdHeader] = requestId;
            await pages.UnknownHostAsync(context, host);
            return;
        }

        var appTag = app.AppTag;
        metrics.RequestStarted(appTag);
        DestinationState? destination = null;
        try
        {
            if (app.Flow is not { } flow)
            {
                destination = await ForwardAsync(context, app);
            }
            else if (!await flow.TryAnswerAsync(context, app.Route, flowEnvironment))
            {
                if (flow.Cache is { } cache)
                {
                    var outcome = await cache.InvokeAsync(context, flow.IsProtected, async () => destination = await ForwardAsync(context, app));
                    metrics.CacheLookup(appTag, outcome);
                }
                else
                {
                    destination = await ForwardAsync(context, app);
                }
            }
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            var status = context.Response.StatusCode;
            metrics.RequestEnded(appTag, status, elapsed);
            var bytes = context.Response.Body is CountingStream counted ? counted.Count : context.Response.ContentLength ?? 0;
            accessLog.Enqueue(new AccessLogEntry(
                time.GetUtcNow() - elapsed, app.Route.AppId, destination?.InstanceId, app.Route.DeploymentId, request.Method,
                request.Path.Value ?? "/", status, bytes, elapsed.TotalMilliseconds, requestId, request.Headers.TraceParent));
        }
    }

    private async Task<DestinationState?> ForwardAsync(HttpContext context, AppRouteState app)
    {
        var response = context.Response;
        var rereadEmpty = false;
        for (var attempt = 1; ; attempt++)
        {
            switch (app.Route.State)
            {
                case RouteState.Stopped:
                    response.Headers[ForwardingTransformer.RequestIdHeader] = context.TraceIdentifier;
                    await pages.StoppedAsync(context, app.Route.AppName);
                    return null;
                case RouteState.NoRelease:
                    response.Headers[ForwardingTransformer.RequestIdHeader] = context.TraceIdentifier;
                    await pages.NoReleaseAsync(context, app.Route.AppName);
                    return null;
                case RouteState.Restoring:
                    response.Headers[ForwardingTransformer.RequestIdHeader] = context.TraceIdentifier;
                    await pages.RestoringAsync(context, app.Route.AppName);
                    return null;
            }

            var destination = app.Pick();
            if (destination is null && !rereadEmpty && table.Current.Find(context.Request.Host.Value) is { } fresh && !ReferenceEquals(fresh, app))
            {
                // A switch retired this snapshot's instances between its read and the pick: the fresh table has the new ones.
                rereadEmpty = true;
                app = fresh;
                continue;
            }

            if (destination is null)
            {
                response.Headers[ForwardingTransformer.RequestIdHeader] = context.TraceIdentifier;
                await pages.NoHealthyInstanceAsync(context, app.Route.AppName);
                return null;
            }

            if (!destination.TryEnter())
            {
                // Retired between the snapshot read and now: a switch happened; read the new snapshot.
                app = table.Current.Find(context.Request.Host.Value) ?? app;
                if (attempt < MaxAttempts)
                {
                    continue;
                }

                await pages.NoHealthyInstanceAsync(context, app.Route.AppName);
                return null;
            }

            if (destination.Site is { } site)
            {
                try
                {
                    await staticFiles.ServeAsync(context, site);
                }
                finally
                {
                    destination.Exit();
                }

                return destination;
            }

            ForwarderError error;
            try
            {
                error = await forwarder.SendAsync(context, destination.Prefix, client, requestConfig, transformer, destination.AbortToken);
            }
            finally
            {
                destination.Exit();
            }

            if (error == ForwarderError.None)
            {
                return destination;
            }

            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            var refused = error == ForwarderError.Request && IsConnectFailure(failure);
            if (refused)
            {
                passiveHealth.ReportConnectionFailure(destination, app.Route, failure);
            }

            if (attempt < MaxAttempts && !response.HasStarted && CanRetry(context, error, refused))
            {
                LogMessages.Retrying(logger, destination.InstanceId, error.ToString());
                response.Clear();
                context.Features.Set<IForwarderErrorFeature>(null);
                app = table.Current.Find(context.Request.Host.Value) ?? app;
                continue;
            }

            if (!response.HasStarted && response.StatusCode >= 500)
            {
                response.Headers[ForwardingTransformer.RequestIdHeader] = context.TraceIdentifier;
                await pages.BackendFailedAsync(context, app.Route.AppName);
            }

            return destination;
        }
    }

    /// <summary>
    /// A request is replayed on another instance only if it has no body and either never reached the instance
    /// (connection refused) or is idempotent (GET/HEAD/OPTIONS) and failed before any response byte.
    /// </summary>
    private static bool CanRetry(HttpContext context, ForwarderError error, bool refused)
    {
        if (error != ForwarderError.Request || context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            return false;
        }

        var method = context.Request.Method;
        return refused || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
    }

    private static bool IsConnectFailure(Exception? failure) =>
        failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        || failure?.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    /// <summary>
    /// Keeps a sane client X-Request-Id (≤ 128 visible ASCII characters), otherwise generates one. It is kept in
    /// <see cref="HttpContext.TraceIdentifier"/> (a plain field in Kestrel: no per-request dictionary or feature allocation).
    /// </summary>
    private string EnsureRequestId(HttpContext context)
    {
        var given = context.Request.Headers[ForwardingTransformer.RequestIdHeader];
        var id = given.Count == 1 && given[0] is { Length: > 0 and <= 128 } value && IsVisibleAscii(value)
            ? value
            : _requestIds.Next();
        context.TraceIdentifier = id;
        return id;
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

}

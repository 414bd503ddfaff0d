using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Nuage.Router.Flow;

/// <summary>
/// An app's <see cref="FlowConfig"/> compiled once per publish (regexes built, headers prepared). <see cref="TryAnswerAsync"/>
/// runs on each request before forwarding: HTTPS and canonical-host redirects, basic auth, the first matching path rule,
/// and response headers.
/// </summary>
internal sealed class FlowPolicy
{
    private readonly (Regex Pattern, FlowRule Rule)[] _rules;
    private readonly KeyValuePair<string, StringValues>[] _headers;

    private FlowPolicy(FlowConfig config)
    {
        Config = config;
        _rules = [.. config.Rules.Select(r => (FlowConfig.Compile(r.Pattern), r))];
        _headers = [.. config.Headers.Select(h => new KeyValuePair<string, StringValues>(h.Name, h.Value))];
        BasicAuth = config.BasicAuth is { } basic ? new BasicAuthGate(basic) : null;
        Oidc = config.Oidc is { } oidc ? new OidcGate(oidc) : null;
        Cache = config.CacheSizeBytes is { } size ? new ResponseCache(size, TimeProvider.System) : null;
    }

    public FlowConfig Config { get; }

    public BasicAuthGate? BasicAuth { get; }

    public OidcGate? Oidc { get; }

    /// <summary>The app's response cache (made anew with every publish of the route: a deploy or purge empties it); null: off.</summary>
    public ResponseCache? Cache { get; }

    public bool IsProtected => BasicAuth is not null || Oidc is not null;

    public bool Compression => Config.Compression;

    /// <summary>The compiled policy, or null when the config does nothing (the hot path then skips it entirely).</summary>
    public static FlowPolicy? Compile(FlowConfig? config) => config is null || config.IsEmpty ? null : new FlowPolicy(config);

    /// <summary>Answers the request itself (redirect, 401) and returns true, or prepares it for forwarding and returns false.</summary>
    public async ValueTask<bool> TryAnswerAsync(HttpContext context, AppRoute route, FlowEnvironment environment)
    {
        var request = context.Request;
        var isHttps = environment.IsHttps(context);
        if (Config.ForceHttps && !isHttps)
        {
            await RedirectAsync(context, 308, $"https://{request.Host.Host}{environment.HttpsPortSuffix}{request.PathBase}{request.Path}{request.QueryString}");
            return true;
        }

        if (Config.CanonicalHost is { } canonical && !string.Equals(request.Host.Host, canonical, StringComparison.OrdinalIgnoreCase))
        {
            var port = request.Host.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
            await RedirectAsync(context, 308, $"{(isHttps ? "https" : "http")}://{canonical}{port}{request.PathBase}{request.Path}{request.QueryString}");
            return true;
        }

        var path = request.Path.Value ?? "/";
        if (Oidc is { } oidc && await oidc.TryAnswerAsync(context, route, environment, path))
        {
            return true;
        }

        if (BasicAuth is { } gate)
        {
            var user = gate.IsOpen(path, route.HealthPaths) ? null : gate.Authenticate(request.Headers.Authorization);
            if (user is null && !gate.IsOpen(path, route.HealthPaths))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = gate.Challenge;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("401 Unauthorized: this app is protected; sign in with its user name and password.\n", context.RequestAborted);
                return true;
            }

            // Set even on open paths: client-sent identity headers are dropped for every request to a protected app.
            context.Features.Set(new FlowIdentity(user ?? ""));
        }

        foreach (var (pattern, rule) in _rules)
        {
            Match match;
            try
            {
                match = pattern.Match(path);
            }
            catch (RegexMatchTimeoutException)
            {
                continue; // a pathological path against a slow pattern: treated as no match, never a stall
            }

            if (!match.Success)
            {
                continue;
            }

            var target = match.Result(rule.Target);
            if (rule.Kind == FlowRuleKinds.Redirect)
            {
                await RedirectAsync(context, rule.Status, target.Contains('?', StringComparison.Ordinal) ? target : target + request.QueryString);
                return true;
            }

            request.Path = new PathString(target);
            break;
        }

        if (_headers.Length > 0)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, headers) = ((HttpResponse, KeyValuePair<string, StringValues>[]))state;
                foreach (var header in headers)
                {
                    response.Headers[header.Key] = header.Value;
                }

                return Task.CompletedTask;
            }, (context.Response, _headers));
        }

        return false;
    }

    private static Task RedirectAsync(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}

/// <summary>What a policy needs from the router: the HTTPS port for redirects, whether a request came over HTTPS, the clock, the log and the OIDC issuers.</summary>
internal sealed class FlowEnvironment(Forwarding.TrustedProxies trusted, TimeProvider? time = null, Microsoft.Extensions.Logging.ILogger? logger = null)
{
    private readonly Lazy<OidcIssuerCache> _issuers = new(() => new OidcIssuerCache(
        new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) },
        time ?? TimeProvider.System));

    private volatile string _httpsPortSuffix = "";

    /// <summary><c>:PORT</c> of the router's HTTPS listener, empty for 443 (set once it listens).</summary>
    public string HttpsPortSuffix => _httpsPortSuffix;

    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public Microsoft.Extensions.Logging.ILogger Logger { get; } = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Discovery and keys of the issuers OIDC-protected apps use (made at first use).</summary>
    public OidcIssuerCache Issuers => _issuers.Value;

    public void SetHttpsPort(int? port) => _httpsPortSuffix = port is null or 443 ? "" : ":" + port.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>TLS on this connection, or <c>X-Forwarded-Proto: https</c> from a trusted proxy that terminated it.</summary>
    public bool IsHttps(HttpContext context) =>
        context.Request.IsHttps
        || (!trusted.IsEmpty && trusted.Contains(context.Connection.RemoteIpAddress)
            && string.Equals(context.Request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase));
}

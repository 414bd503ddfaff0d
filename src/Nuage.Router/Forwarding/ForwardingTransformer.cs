using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Nuage.Router.Forwarding;

/// <summary>
/// Copies the request (YARP's base transformer), keeps the client's Host, and writes X-Forwarded-For/Proto/Host/Port and
/// <c>Forwarded</c> (RFC 7239). Every client-identity header the request carries (any X-Forwarded-*, Forwarded, X-Real-IP,
/// True-Client-IP … in any case or underscore spelling, see <see cref="ClientIdentityHeaders"/>) is dropped unless the
/// peer is a trusted proxy, in which case the dash-spelled ones are kept and the chain is extended. <c>X-Request-Id</c> (kept in <see cref="HttpContext.TraceIdentifier"/> by the handler) goes
/// to the instance and back to the client.
/// </summary>
internal sealed class ForwardingTransformer(TrustedProxies trusted) : HttpTransformer
{
    public const string RequestIdHeader = "X-Request-Id";
    private const string ForwardedFor = "X-Forwarded-For";
    private const string ForwardedProto = "X-Forwarded-Proto";
    private const string ForwardedHost = "X-Forwarded-Host";
    private const string ForwardedPort = "X-Forwarded-Port";
    private const string Forwarded = "Forwarded";
    private CachedPort? _port;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        var incoming = request.Headers;
        var outgoing = proxyRequest.Headers;
        var remote = httpContext.Connection.RemoteIpAddress;
        var isTrusted = !trusted.IsEmpty && trusted.Contains(remote);
        var host = request.Host.Value ?? string.Empty;
        outgoing.Host = host;
        var requestId = httpContext.TraceIdentifier;
        var givenId = incoming[RequestIdHeader];
        if (givenId.Count != 1 || !string.Equals(givenId[0], requestId, StringComparison.Ordinal))
        {
            outgoing.Remove(RequestIdHeader);
            outgoing.TryAddWithoutValidation(RequestIdHeader, requestId);
        }

        RemoveClientIdentity(outgoing, isTrusted);
        if (httpContext.Features.Get<Flow.FlowIdentity>() is { } identity)
        {
            // A protected app: only the router says who the user is, whoever the peer is; the password never reaches the app.
            ApplyIdentity(outgoing, identity, incoming);
        }

        var client = ClientAddress(remote);
        var scheme = request.Scheme;
        if (isTrusted && incoming.TryGetValue(ForwardedFor, out var chain))
        {
            outgoing.Remove(ForwardedFor);
            outgoing.TryAddWithoutValidation(ForwardedFor, $"{chain}, {client}");
        }
        else
        {
            outgoing.TryAddWithoutValidation(ForwardedFor, client);
        }

        SetUnlessTrusted(ForwardedProto, scheme);
        SetUnlessTrusted(ForwardedHost, host);
        SetUnlessTrusted(ForwardedPort, PortText(httpContext.Connection.LocalPort));

        var element = $"for={ForwardedNode(remote, client)};proto={scheme};host=\"{host}\"";
        if (isTrusted && incoming.TryGetValue(Forwarded, out var previous))
        {
            outgoing.Remove(Forwarded);
            outgoing.TryAddWithoutValidation(Forwarded, $"{previous}, {element}");
        }
        else
        {
            outgoing.TryAddWithoutValidation(Forwarded, element);
        }

        void SetUnlessTrusted(string name, string value)
        {
            if (!isTrusted || !incoming.ContainsKey(name))
            {
                outgoing.TryAddWithoutValidation(name, value);
            }
        }
    }

    /// <summary>
    /// Drops the client-identity headers YARP copied from the request: all of them from an untrusted peer, only the
    /// underscore spellings from a trusted proxy. Scans with the non-validating struct enumerator, so a request
    /// without such headers allocates nothing here.
    /// </summary>
    private static void ApplyIdentity(HttpRequestHeaders outgoing, Flow.FlowIdentity identity, IHeaderDictionary incoming)
    {
        if (!identity.KeepAuthorization)
        {
            outgoing.Authorization = null;
        }

        foreach (var name in Flow.FlowIdentity.Headers)
        {
            outgoing.Remove(name);
        }

        AddClean(outgoing, Flow.FlowIdentity.UserHeader, identity.User);
        AddClean(outgoing, Flow.FlowIdentity.EmailHeader, identity.Email);
        AddClean(outgoing, Flow.FlowIdentity.GroupsHeader, identity.Groups);
        AddClean(outgoing, Flow.FlowIdentity.AccessTokenHeader, identity.AccessToken);

        // The router's session and sign-in cookies are the router's: the app never sees them.
        var cookie = incoming.Cookie.ToString();
        if (cookie.Contains(Flow.OidcCookies.SessionName, StringComparison.Ordinal))
        {
            outgoing.Remove("Cookie");
            var kept = string.Join("; ", cookie.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(c => !Flow.OidcCookies.IsOurs(c.Split('=', 2)[0].Trim())));
            if (kept.Length > 0)
            {
                outgoing.TryAddWithoutValidation("Cookie", kept);
            }
        }
    }

    /// <summary>Adds a header the router vouches for; control characters from a claim never make it into a header line.</summary>
    private static void AddClean(HttpRequestHeaders outgoing, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        outgoing.TryAddWithoutValidation(name, value.Any(char.IsControl) ? new string([.. value.Where(c => !char.IsControl(c))]) : value);
    }

    private static void RemoveClientIdentity(HttpRequestHeaders outgoing, bool isTrusted)
    {
        List<string>? remove = null;
        foreach (var header in outgoing.NonValidated)
        {
            var name = header.Key;
            if (ClientIdentityHeaders.IsIdentity(name) && (!isTrusted || ClientIdentityHeaders.IsUnderscoreSpelling(name)))
            {
                (remove ??= []).Add(name);
            }
        }

        if (remove is null)
        {
            return;
        }

        foreach (var name in remove)
        {
            outgoing.Remove(name);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proxy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var response = httpContext.Response;
        response.Headers[RequestIdHeader] = httpContext.TraceIdentifier;
        if (response.ContentLength is null && response.StatusCode != StatusCodes.Status101SwitchingProtocols && !HttpMethods.IsHead(httpContext.Request.Method))
        {
            response.Body = new CountingStream(response.Body);
        }

        return proxy;
    }

    /// <summary>The listening port as text, cached (a router has one or two ports): no string per request.</summary>
    private string PortText(int port)
    {
        var cached = _port;
        if (cached is null || cached.Port != port)
        {
            cached = new CachedPort(port, port.ToString(CultureInfo.InvariantCulture));
            _port = cached;
        }

        return cached.Text;
    }

    private static string ClientAddress(IPAddress? remote)
    {
        if (remote is null)
        {
            return "unknown";
        }

        return (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
    }

    /// <summary>RFC 7239 node: IPv6 addresses are bracketed and quoted, unknown peers are <c>unknown</c>.</summary>
    private static string ForwardedNode(IPAddress? remote, string client) =>
        remote is not null && !remote.IsIPv4MappedToIPv6 && remote.AddressFamily == AddressFamily.InterNetworkV6 ? $"\"[{client}]\"" : client;

    private sealed record CachedPort(int Port, string Text);
}

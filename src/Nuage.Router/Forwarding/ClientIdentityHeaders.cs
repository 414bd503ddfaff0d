namespace Nuage.Router.Forwarding;

/// <summary>
/// Recognises request headers that claim who the client is or how it connected (X-Forwarded-*, Forwarded,
/// X-Real-IP, True-Client-IP, CF-Connecting-IP …) in any spelling: case-insensitive and with '_' read as '-',
/// because CGI-style servers (PHP-FPM, Rack, WSGI) map <c>X_Forwarded_For</c> and <c>X-Forwarded-For</c> to the same
/// <c>HTTP_X_FORWARDED_FOR</c> variable. Allocation-free: names are compared in place.
/// </summary>
internal static class ClientIdentityHeaders
{
    /// <summary>Every <c>X-Forwarded-*</c> header (For, Proto, Host, Port, Prefix, Server, Ssl, Scheme …).</summary>
    private const string ForwardedPrefix = "x-forwarded-";

    // Lowercase, '-' spelling. Kept short and explicit: vendor headers that apps and frameworks read as the client IP.
    private static readonly string[] Names =
    [
        "forwarded", "forwarded-for", "x-forwarded", "x-real-ip", "true-client-ip", "x-client-ip", "client-ip",
        "x-cluster-client-ip", "cf-connecting-ip", "cf-connecting-ipv6", "fastly-client-ip", "akamai-client-ip",
        "x-original-forwarded-for", "x-originating-ip", "x-remote-ip", "x-remote-addr", "x-proxyuser-ip",
        "x-envoy-external-address", "x-appengine-user-ip", "x-url-scheme", "front-end-https",
    ];

    /// <summary>True for any spelling of a client-identity header.</summary>
    public static bool IsIdentity(string name)
    {
        if (name.Length >= ForwardedPrefix.Length && SameName(name.AsSpan(0, ForwardedPrefix.Length), ForwardedPrefix))
        {
            return true;
        }

        foreach (var known in Names)
        {
            if (name.Length == known.Length && SameName(name, known))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the name uses '_' (never a spelling a proxy we trust sends, whatever the peer).</summary>
    public static bool IsUnderscoreSpelling(string name) => name.Contains('_', StringComparison.Ordinal);

    /// <summary>Compares a header name with a lowercase dash-spelled one: ASCII case-insensitive, '_' equals '-'.</summary>
    private static bool SameName(ReadOnlySpan<char> name, string known)
    {
        for (var i = 0; i < known.Length; i++)
        {
            var c = name[i];
            if (c == '_')
            {
                c = '-';
            }
            else if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c | 0x20);
            }

            if (c != known[i])
            {
                return false;
            }
        }

        return true;
    }
}

using System.Net;
using Nuage.Core.Errors;

namespace Nuage.Server.Oidc;

/// <summary>
/// The redirect a terminal sign-in may ask for: only a loopback IP literal over http with an explicit port (RFC 8252
/// §7.3 and §8.3: not "localhost", which a hostile resolver or hosts file can point elsewhere). Anything else would
/// let the anonymous start endpoint send authorization codes to another host.
/// </summary>
internal static class LoopbackRedirect
{
    public const string Field = "redirectUri";

    public static Uri Parse(string? value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)
            && !uri.IsDefaultPort && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0 && uri.Query.Length == 0)
        {
            return uri;
        }

        throw NuageException.Invalid(ErrorCodes.InvalidInput,
            [new FieldError(Field, value, "use a loopback redirect with a port, e.g. http://127.0.0.1:49152/callback (http, 127.0.0.1 or [::1], no query)")]);
    }
}

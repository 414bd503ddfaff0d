using System.Globalization;
using Nuage.Core.Errors;
using Nuage.Core.Routing;

namespace Nuage.Router.Routing;

/// <summary>An instance address split for the forwarder (<see cref="Prefix"/>) and for TCP probes (<see cref="Host"/>, <see cref="Port"/>).</summary>
internal sealed record InstanceAddress(string Host, int Port, string Prefix)
{
    /// <summary>Accepts <c>host:port</c>, <c>[v6]:port</c> or <c>http://host:port</c>.</summary>
    public static InstanceAddress Parse(InstanceEndpoint instance)
    {
        var value = instance.Address;
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
            || uri.IsDefaultPort && !value.EndsWith(":80", StringComparison.Ordinal) || uri.AbsolutePath != "/")
        {
            throw NuageException.Invalid(
                "Instances.Address",
                value,
                $"instance {instance.InstanceId}: address must be host:port or http://host:port, e.g. 127.0.0.1:5000");
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"http://{uri.Authority}");
        return new InstanceAddress(uri.IdnHost, uri.Port, prefix);
    }
}

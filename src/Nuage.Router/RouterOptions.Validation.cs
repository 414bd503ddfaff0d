using System.Net;
using Nuage.Core.Errors;

namespace Nuage.Router;

public sealed partial record RouterOptions
{
    /// <summary>One error per bad option (the server checks its --http/--https/--domain/--trusted-proxy flags first).</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (HttpEndpoints.Count == 0 && HttpsEndpoints.Count == 0)
        {
            errors.Add(new FieldError(nameof(HttpEndpoints), null, "at least one HTTP or HTTPS endpoint is required, e.g. 0.0.0.0:8080"));
        }

        foreach (var endpoint in HttpEndpoints)
        {
            CheckEndpoint(nameof(HttpEndpoints), endpoint, errors);
        }

        foreach (var endpoint in HttpsEndpoints)
        {
            CheckEndpoint(nameof(HttpsEndpoints), endpoint, errors);
        }

        if (string.IsNullOrWhiteSpace(DomainSuffix) || Uri.CheckHostName(DomainSuffix) != UriHostNameType.Dns)
        {
            errors.Add(new FieldError(nameof(DomainSuffix), DomainSuffix, "must be a DNS name such as localhost or apps.example.com"));
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!TryParseNetwork(proxy, out _))
            {
                errors.Add(new FieldError(nameof(TrustedProxies), proxy, "must be an IP address (10.0.0.1) or a CIDR range (10.0.0.0/8)"));
            }
        }

        Positive(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, errors);
        Positive(nameof(MaxRequestHeadersTotalBytes), MaxRequestHeadersTotalBytes, errors);
        Positive(nameof(MaxRequestHeaderCount), MaxRequestHeaderCount, errors);
        Positive(nameof(RetryAfterSeconds), RetryAfterSeconds, errors);
        Positive(nameof(AccessLogQueueCapacity), AccessLogQueueCapacity, errors);
        Positive(nameof(RequestHeadersTimeout), RequestHeadersTimeout, errors);
        Positive(nameof(KeepAliveTimeout), KeepAliveTimeout, errors);
        Positive(nameof(BackendConnectTimeout), BackendConnectTimeout, errors);
        Positive(nameof(BackendActivityTimeout), BackendActivityTimeout, errors);
        Positive(nameof(DrainTimeout), DrainTimeout, errors);
        Positive(nameof(HealthProbeTimeout), HealthProbeTimeout, errors);
        Positive(nameof(HealthProbeInterval), HealthProbeInterval, errors);
        Positive(nameof(EjectedProbeInterval), EjectedProbeInterval, errors);

        return errors;
    }

    internal static bool TryParseEndpoint(string value, out IPEndPoint endpoint) =>
        IPEndPoint.TryParse(value, out endpoint!) && value.Contains(':', StringComparison.Ordinal);

    internal static bool TryParseNetwork(string value, out IPNetwork network)
    {
        if (IPNetwork.TryParse(value, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    private static void CheckEndpoint(string field, string value, List<FieldError> errors)
    {
        if (!TryParseEndpoint(value, out _))
        {
            errors.Add(new FieldError(field, value, "must be address:port, e.g. 0.0.0.0:8080, 127.0.0.1:0 or [::]:8080"));
        }
    }

    private static void Positive(string field, long value, List<FieldError> errors)
    {
        if (value <= 0)
        {
            errors.Add(new FieldError(field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than zero"));
        }
    }

    private static void Positive(string field, TimeSpan value, List<FieldError> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(field, value.ToString(), "must be a positive duration"));
        }
    }
}

using System.Security.Cryptography.X509Certificates;
using Nuage.Logs.Drains.Network;
using Nuage.Logs.Formatting;

namespace Nuage.Logs.Drains.Transports;

/// <summary>Builds the transport for a drain type.</summary>
internal sealed class DrainTransportFactory(DrainOptions options, HttpClient http, DrainDestinationPolicy policy, TimeProvider time)
{
    private readonly X509Certificate2Collection? _trustedCas = LoadCas(options.TrustedCaFile);

    public IDrainTransport Create(DrainConfig drain)
    {
        var uri = new Uri(drain.Url);
        var syslog = new SyslogFormatter(options.Hostname, drain.AppName, drain.SdParams);
        return drain.Type switch
        {
            DrainTypes.SyslogUdp => new SyslogUdpTransport(uri, syslog, policy),
            DrainTypes.SyslogTcp => new SyslogStreamTransport(uri, syslog, tls: false, null, options, policy, time),
            DrainTypes.SyslogTls => new SyslogStreamTransport(uri, syslog, tls: true, _trustedCas, options, policy, time),
            DrainTypes.Http => new HttpNdjsonTransport(http, drain),
            DrainTypes.Elasticsearch => new ElasticsearchTransport(http, drain, options.Hostname),
            DrainTypes.Otlp => new OtlpHttpTransport(http, drain),
            _ => throw new ArgumentException($"unknown drain type {drain.Type}", nameof(drain)),
        };
    }

    private static X509Certificate2Collection? LoadCas(string? file)
    {
        if (file is null)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(file);
        return collection;
    }
}

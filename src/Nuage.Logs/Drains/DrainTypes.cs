namespace Nuage.Logs.Drains;

/// <summary>Drain type names as users type them (`nuage drain create --type T`). Persisted: do not rename.</summary>
public static class DrainTypes
{
    public const string SyslogUdp = "syslog-udp";
    public const string SyslogTcp = "syslog-tcp";
    public const string SyslogTls = "syslog-tls";
    public const string Http = "http";
    public const string Elasticsearch = "elasticsearch";
    public const string Otlp = "otlp";

    public static IReadOnlyList<string> All { get; } = [SyslogUdp, SyslogTcp, SyslogTls, Http, Elasticsearch, Otlp];

    public static bool IsSyslog(string type) => type is SyslogUdp or SyslogTcp or SyslogTls;
}

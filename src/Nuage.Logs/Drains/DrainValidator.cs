using Nuage.Core.Errors;
using Nuage.Logs.Formatting;

namespace Nuage.Logs.Drains;

/// <summary>Checks a drain request and collects every problem, each naming the field, the value and what is accepted.</summary>
internal static class DrainValidator
{
    public static IReadOnlyList<FieldError> Validate(DrainSpec spec)
    {
        var errors = new List<FieldError>();
        if (!DrainTypes.All.Contains(spec.Type))
        {
            errors.Add(new FieldError("type", spec.Type, "use one of " + string.Join(", ", DrainTypes.All)));
            return errors;
        }

        ValidateUrl(spec, errors);
        ValidateCredentials(spec, errors);
        if (spec.SdParams is { Length: > 0 } sd)
        {
            if (!DrainTypes.IsSyslog(spec.Type))
            {
                errors.Add(new FieldError("sd-params", sd, "structured data applies to syslog-udp, syslog-tcp and syslog-tls drains only"));
            }
            else if (StructuredData.Parse(sd, out _) is { } problem)
            {
                errors.Add(new FieldError("sd-params", sd, problem));
            }
        }

        return errors;
    }

    public static string[] AcceptedSchemes(string type) => type switch
    {
        DrainTypes.SyslogUdp => ["udp", "syslog+udp"],
        DrainTypes.SyslogTcp => ["tcp", "syslog", "syslog+tcp"],
        DrainTypes.SyslogTls => ["tls", "syslog+tls"],
        _ => ["http", "https"],
    };

    private static void ValidateUrl(DrainSpec spec, List<FieldError> errors)
    {
        var schemes = AcceptedSchemes(spec.Type);
        var accepted = string.Join(" or ", schemes.Select(s => s + "://"));
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add(new FieldError("url", spec.Url, $"use an absolute URL with a host, starting with {accepted}"));
            return;
        }

        if (!schemes.Contains(uri.Scheme))
        {
            errors.Add(new FieldError("url", spec.Url, $"a {spec.Type} drain needs a URL starting with {accepted}"));
            return;
        }

        if (DrainTypes.IsSyslog(spec.Type) && (uri.IsDefaultPort || uri.Port <= 0))
        {
            errors.Add(new FieldError("url", spec.Url, "a syslog drain needs an explicit port, e.g. tcp://logs.example.com:6514"));
        }

        if (spec.Type == DrainTypes.Elasticsearch && !uri.AbsolutePath.EndsWith("/_bulk", StringComparison.Ordinal))
        {
            errors.Add(new FieldError("url", spec.Url, "an elasticsearch drain URL must end in /_bulk, e.g. https://es.example.com:9200/nuage-logs/_bulk"));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(new FieldError("url", Redact(uri), "put credentials in --username/--password or --token, not in the URL"));
        }
    }

    private static void ValidateCredentials(DrainSpec spec, List<FieldError> errors)
    {
        var hasUser = !string.IsNullOrEmpty(spec.Username);
        var hasPassword = !string.IsNullOrEmpty(spec.Password);
        var hasToken = !string.IsNullOrEmpty(spec.Token);
        if (DrainTypes.IsSyslog(spec.Type) && (hasUser || hasPassword || hasToken))
        {
            errors.Add(new FieldError(hasToken ? "token" : "username", null, "syslog drains take no credentials; use sd-params for a receiver token"));
            return;
        }

        if (hasUser != hasPassword)
        {
            errors.Add(new FieldError(hasUser ? "password" : "username", null, "give --username and --password together (basic auth)"));
        }

        if (hasToken && (hasUser || hasPassword))
        {
            errors.Add(new FieldError("token", null, "use either --token (bearer) or --username/--password (basic), not both"));
        }
    }

    private static string Redact(Uri uri) => new UriBuilder(uri) { UserName = "***", Password = "" }.Uri.ToString();
}

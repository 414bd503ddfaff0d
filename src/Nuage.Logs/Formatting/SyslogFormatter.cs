using System.Globalization;
using System.Text;
using Nuage.Core.Logging;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Formatting;

/// <summary>
/// RFC 5424 messages: PRI from the stream (facility user; stderr = err, otherwise info), HOSTNAME, APP-NAME = app name,
/// PROCID = instance, MSGID = source, structured data [nuage@32473 app= instance= deployment=] plus the user's sd-params.
/// </summary>
internal sealed class SyslogFormatter
{
    private const int Facility = 1;
    private readonly string _hostname;
    private readonly string _appName;
    private readonly string _userParams;
    private readonly string _userElements;

    public SyslogFormatter(string hostname, string appName, string? sdParams)
    {
        _hostname = Field(hostname, 255);
        _appName = Field(appName, 48);
        _userParams = "";
        _userElements = "";
        if (!string.IsNullOrWhiteSpace(sdParams) && StructuredData.Parse(sdParams, out var rendered) is null)
        {
            if (sdParams.TrimStart().StartsWith('['))
            {
                _userElements = rendered;
            }
            else
            {
                _userParams = rendered;
            }
        }
    }

    public static int Severity(LogRecord record) => record.Stream == "stderr" ? 3 : 6;

    public string Format(StoredLogRecord stored)
    {
        var r = stored.Record;
        var sb = new StringBuilder(r.Message.Length + 160);
        sb.Append('<').Append((Facility * 8) + Severity(r)).Append(">1 ")
          .Append(r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
          .Append(_hostname).Append(' ')
          .Append(_appName).Append(' ')
          .Append(Field(r.InstanceId, 128)).Append(' ')
          .Append(Field(r.Source.ToString().ToLowerInvariant(), 32)).Append(' ')
          .Append('[').Append(StructuredData.NuageSdId)
          .Append(" app=\"").Append(StructuredData.EscapeValue(r.AppId)).Append('"');
        if (r.InstanceId is not null)
        {
            sb.Append(" instance=\"").Append(StructuredData.EscapeValue(r.InstanceId)).Append('"');
        }

        if (r.DeploymentId is not null)
        {
            sb.Append(" deployment=\"").Append(StructuredData.EscapeValue(r.DeploymentId)).Append('"');
        }

        if (r.TraceId is not null)
        {
            sb.Append(" trace_id=\"").Append(r.TraceId).Append('"');
        }

        sb.Append(" seq=\"").Append(stored.Sequence).Append('"');
        sb.Append(_userParams).Append(']').Append(_userElements).Append(' ').Append(r.Message);
        return sb.ToString();
    }

    /// <summary>A header field: printable US-ASCII without spaces, at most <paramref name="max"/> characters, "-" when empty.</summary>
    private static string Field(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var sb = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value)
        {
            if (sb.Length == max)
            {
                break;
            }

            sb.Append(c is > ' ' and <= '~' ? c : '_');
        }

        return sb.ToString();
    }
}

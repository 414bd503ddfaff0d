using System.Buffers;
using System.Globalization;
using System.Text;
using Nuage.Core.Logging;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Formatting;

/// <summary>
/// RFC 5424 messages: PRI from the stream (facility user; stderr = err, otherwise info), HOSTNAME, APP-NAME = app name,
/// PROCID = instance, MSGID = source, structured data [nuage@32473 app= instance= deployment=] plus the user's sd-params.
/// Writes UTF-8 directly into the caller's buffer; the per-drain parts are encoded once, and the per-record fields
/// that repeat (app, instance, deployment) are encoded once per distinct value in a row.
/// Not thread-safe: one formatter per drain transport.
/// </summary>
internal sealed class SyslogFormatter
{
    private const int Facility = 1;
    private readonly byte[] _priInfo = Encoding.ASCII.GetBytes($"<{(Facility * 8) + 6}>1 ");
    private readonly byte[] _priErr = Encoding.ASCII.GetBytes($"<{(Facility * 8) + 3}>1 ");
    private readonly byte[] _hostAndApp;
    private readonly byte[] _userParamsUtf8;
    private readonly byte[] _userElementsUtf8;
    private readonly Utf8Cache _procId = new();
    private readonly Utf8Cache _app = new();
    private readonly Utf8Cache _instance = new();
    private readonly Utf8Cache _deployment = new();

    public SyslogFormatter(string hostname, string appName, string? sdParams)
    {
        _hostAndApp = Encoding.ASCII.GetBytes(" " + Field(hostname, 255) + " " + Field(appName, 48) + " ");
        var userParams = "";
        var userElements = "";
        if (!string.IsNullOrWhiteSpace(sdParams) && StructuredData.Parse(sdParams, out var rendered) is null)
        {
            if (sdParams.TrimStart().StartsWith('['))
            {
                userElements = rendered;
            }
            else
            {
                userParams = rendered;
            }
        }

        _userParamsUtf8 = Encoding.UTF8.GetBytes(userParams);
        _userElementsUtf8 = Encoding.UTF8.GetBytes(userElements);
    }

    public static int Severity(LogRecord record) => record.Stream == "stderr" ? 3 : 6;

    /// <summary>Writes one RFC 5424 message as UTF-8 straight into <paramref name="output"/> (no intermediate string).</summary>
    public void Write(StoredLogRecord stored, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(output);
        var r = stored.Record;
        output.Write(Severity(r) == 3 ? _priErr : _priInfo);
        var span = output.GetSpan(32);
        if (!r.Timestamp.UtcDateTime.TryFormat(span, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("timestamp does not fit in 32 bytes");
        }

        output.Advance(written);
        output.Write(_hostAndApp);
        output.Write(_procId.Get(r.InstanceId, static v => Field(v, 128)));
        output.Write(MsgIdAndSdId(r.Source));
        output.Write(_app.Get(r.AppId, StructuredData.EscapeValue));
        output.Write("\""u8);
        if (r.InstanceId is not null)
        {
            output.Write(" instance=\""u8);
            output.Write(_instance.Get(r.InstanceId, StructuredData.EscapeValue));
            output.Write("\""u8);
        }

        if (r.DeploymentId is not null)
        {
            output.Write(" deployment=\""u8);
            output.Write(_deployment.Get(r.DeploymentId, StructuredData.EscapeValue));
            output.Write("\""u8);
        }

        if (r.TraceId is not null)
        {
            output.Write(" trace_id=\""u8);
            WriteUtf8(r.TraceId, output);
            output.Write("\""u8);
        }

        output.Write(" seq=\""u8);
        span = output.GetSpan(20);
        stored.Sequence.TryFormat(span, out written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
        output.Write("\""u8);
        output.Write(_userParamsUtf8);
        output.Write("]"u8);
        output.Write(_userElementsUtf8);
        output.Write(" "u8);
        WriteUtf8(r.Message, output);
    }

    /// <summary>One RFC 5424 message as text (tests and diagnostics; drains use <see cref="Write"/>).</summary>
    public string Format(StoredLogRecord stored)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(stored, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>" MSGID [nuage@32473 app=\"" for each source (MSGID = the source in lower case).</summary>
    private static ReadOnlySpan<byte> MsgIdAndSdId(LogSource source) => source switch
    {
        LogSource.App => " app [nuage@32473 app=\""u8,
        LogSource.Build => " build [nuage@32473 app=\""u8,
        LogSource.Access => " access [nuage@32473 app=\""u8,
        LogSource.Platform => " platform [nuage@32473 app=\""u8,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown log source"),
    };

    private static void WriteUtf8(string text, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
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

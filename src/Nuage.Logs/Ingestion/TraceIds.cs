using System.Text;

namespace Nuage.Logs.Ingestion;

/// <summary>Finds a trace id in a line: a W3C traceparent (00-TRACEID-SPANID-FLAGS) or a trace_id=/"trace_id": field.</summary>
internal static class TraceIds
{
    public static string? Find(ReadOnlySpan<byte> line)
    {
        var field = line.IndexOf("trace_id"u8);
        if (field >= 0 && FromField(line[(field + 8)..]) is { } id)
        {
            return id;
        }

        var search = line;
        var consumed = 0;
        while (consumed < line.Length)
        {
            var dash = search.IndexOf("-"u8);
            if (dash < 0)
            {
                return null;
            }

            // traceparent: 2 hex version, '-', 32 hex trace id, '-', 16 hex span id, '-', 2 hex flags.
            if (dash >= 2 && search.Length - dash >= 53 && IsHex(search.Slice(dash - 2, 2))
                && IsHex(search.Slice(dash + 1, 32)) && search[dash + 33] == '-'
                && IsHex(search.Slice(dash + 34, 16)) && search[dash + 50] == '-' && IsHex(search.Slice(dash + 51, 2))
                && (dash < 3 || !IsHexChar(search[dash - 3])))
            {
                return Valid(search.Slice(dash + 1, 32));
            }

            search = search[(dash + 1)..];
            consumed += dash + 1;
        }

        return null;
    }

    private static string? FromField(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        if (i < rest.Length && rest[i] == '"')
        {
            i++;
        }

        while (i < rest.Length && (rest[i] == ' ' || rest[i] == '=' || rest[i] == ':'))
        {
            i++;
        }

        if (i < rest.Length && rest[i] == '"')
        {
            i++;
        }

        var start = i;
        while (i < rest.Length && IsHexChar(rest[i]))
        {
            i++;
        }

        var length = i - start;
        return length is 16 or 32 ? Valid(rest.Slice(start, length)) : null;
    }

    private static string? Valid(ReadOnlySpan<byte> hex)
    {
        foreach (var b in hex)
        {
            if (b != '0')
            {
                return Encoding.ASCII.GetString(hex).ToLowerInvariant();
            }
        }

        return null;
    }

    private static bool IsHex(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (!IsHexChar(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHexChar(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');
}

using System.Text;

namespace Nuage.Logs.Formatting;

/// <summary>RFC 5424 structured-data helpers: name checks, value escaping, and parsing of user-supplied sd-params.</summary>
internal static class StructuredData
{
    public const string NuageSdId = "nuage@32473";

    /// <summary>
    /// Parses `key="value" key2=value2` (params added to Nuage's element) or `[id key="v"][id2 …]` (whole elements).
    /// Returns a problem description, or null with the normalized text in <paramref name="rendered"/>.
    /// </summary>
    public static string? Parse(string text, out string rendered)
    {
        rendered = "";
        var s = text.Trim();
        var output = new StringBuilder();
        var pos = 0;
        if (s.StartsWith('['))
        {
            while (pos < s.Length)
            {
                if (s[pos] != '[')
                {
                    return "elements must follow each other like [id@12345 key=\"value\"][other@12345 k=\"v\"]";
                }

                var idEnd = pos + 1;
                while (idEnd < s.Length && s[idEnd] is not (' ' or ']'))
                {
                    idEnd++;
                }

                var id = s[(pos + 1)..idEnd];
                if (!IsName(id, allowAt: true))
                {
                    return $"\"{id}\" is not a valid SD-ID (1-32 printable ASCII characters except = ] \" and space)";
                }

                output.Append('[').Append(id);
                pos = idEnd;
                var problem = ParseParams(s, ref pos, output, closing: true);
                if (problem is not null)
                {
                    return problem;
                }

                output.Append(']');
                pos++;
            }

            rendered = output.ToString();
            return null;
        }

        var error = ParseParams(s, ref pos, output, closing: false);
        rendered = output.ToString();
        return error;
    }

    private static string? ParseParams(string s, ref int pos, StringBuilder output, bool closing)
    {
        while (true)
        {
            while (pos < s.Length && s[pos] == ' ')
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                return closing ? "an element is missing its closing ]" : null;
            }

            if (closing && s[pos] == ']')
            {
                return null;
            }

            var eq = s.IndexOf('=', pos);
            if (eq < 0)
            {
                return "write parameters as key=\"value\" separated by spaces";
            }

            var name = s[pos..eq];
            if (!IsName(name, allowAt: false))
            {
                return $"\"{name}\" is not a valid parameter name (1-32 printable ASCII characters except = ] \" and space)";
            }

            pos = eq + 1;
            var value = new StringBuilder();
            if (pos < s.Length && s[pos] == '"')
            {
                pos++;
                while (pos < s.Length && s[pos] != '"')
                {
                    if (s[pos] == '\\' && pos + 1 < s.Length)
                    {
                        pos++;
                    }

                    value.Append(s[pos++]);
                }

                if (pos >= s.Length)
                {
                    return $"the value of {name} is missing its closing quote";
                }

                pos++;
            }
            else
            {
                while (pos < s.Length && s[pos] != ' ' && !(closing && s[pos] == ']'))
                {
                    value.Append(s[pos++]);
                }
            }

            output.Append(' ').Append(name).Append("=\"").Append(EscapeValue(value.ToString())).Append('"');
        }
    }

    public static bool IsName(string name, bool allowAt)
    {
        if (name.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is < '!' or > '~' or '=' or ']' or '"' || (c == '@' && !allowAt))
            {
                return false;
            }
        }

        return true;
    }

    public static string EscapeValue(string value)
    {
        if (value.AsSpan().IndexOfAny("\"\\]") < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
